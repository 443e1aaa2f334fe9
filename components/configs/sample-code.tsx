"use client";

import { useState } from "react";
import { useI18n } from "@/components/i18n/i18n-provider";

/** How a Java (Spring Cloud Alibaba), Go and Node client reads this config. */
export function SampleCode({ namespace, group, dataId, type }: { namespace: string; group: string; dataId: string; type: string }) {
  const { t } = useI18n();
  const [lang, setLang] = useState<"java" | "go" | "node">("java");
  const ns = namespace || "public";
  const samples = {
    java: `# bootstrap.yml (Spring Cloud Alibaba)
spring:
  application:
    name: my-app
  cloud:
    nacos:
      config:
        server-addr: \${NACOS_ADDR}
        namespace: ${ns}
  config:
    import:
      - nacos:${dataId}?group=${group}&refreshEnabled=true

// Or with the Nacos Java SDK:
ConfigService cs = NacosFactory.createConfigService(props);
String content = cs.getConfigAndSignListener("${dataId}", "${group}", 5000, new Listener() {
    public Executor getExecutor() { return null; }
    public void receiveConfigInfo(String c) { /* reload (${type}) */ }
});`,
    go: `// github.com/nacos-group/nacos-sdk-go/v2
client, _ := clients.NewConfigClient(vo.NacosClientParam{
    ClientConfig:  constant.NewClientConfig(constant.WithNamespaceId("${namespace}")),
    ServerConfigs: []constant.ServerConfig{*constant.NewServerConfig(host, 8848)},
})
content, _ := client.GetConfig(vo.ConfigParam{DataId: "${dataId}", Group: "${group}"})
_ = client.ListenConfig(vo.ConfigParam{DataId: "${dataId}", Group: "${group}",
    OnChange: func(ns, group, dataId, data string) { /* reload (${type}) */ }})`,
    node: `// npm: nacos (NacosConfigClient)
const { NacosConfigClient } = require("nacos");
const client = new NacosConfigClient({ serverAddr: process.env.NACOS_ADDR, namespace: "${namespace}" });
const content = await client.getConfig("${dataId}", "${group}");
client.subscribe({ dataId: "${dataId}", group: "${group}" }, (c) => { /* reload (${type}) */ });`,
  };
  return (
    <section data-testid="sample-code" className="space-y-2">
      <p className="text-sm text-slate-600 dark:text-slate-400">{t("configs.sample.hint")}</p>
      <div role="group" aria-label={t("configs.sample.language")} className="inline-flex overflow-hidden rounded border border-slate-300 text-xs dark:border-slate-700">
        {(["java", "go", "node"] as const).map((l) => (
          <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)} className={`px-3 py-1 ${lang === l ? "bg-slate-200 font-medium dark:bg-slate-700" : ""}`}>
            {l === "java" ? "Java (Spring Cloud Alibaba)" : l === "go" ? "Go" : "Node.js"}
          </button>
        ))}
      </div>
      <pre className="overflow-auto rounded border border-slate-200 bg-slate-50 p-3 font-mono text-xs dark:border-slate-800 dark:bg-slate-950">{samples[lang]}</pre>
    </section>
  );
}
