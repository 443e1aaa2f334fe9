package dev.switchyard.stack;

import com.alibaba.nacos.NacosServerBasicApplication;
import com.alibaba.nacos.NacosServerWebApplication;
import com.alibaba.nacos.console.NacosConsole;
import com.alibaba.nacos.core.listener.startup.NacosStartUp;
import com.alibaba.nacos.core.listener.startup.NacosStartUpManager;
import com.alibaba.nacos.sys.env.DeploymentType;
import com.alibaba.nacos.sys.env.EnvUtil;
import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Switchyard test-stack launcher for a standalone Nacos 3.x server (server + console in one JVM).
 *
 * <p>The official distribution starts Nacos through its own bootstrap module, which is not
 * published to Maven Central. This class does the same work for the "merged" deployment: one core
 * (non-web) Spring context, then the server web context (HTTP API on nacos.server.main.port, gRPC
 * on +1000/+1001) and the console web context (nacos.console.port), both children of the core.
 * All configuration comes from system properties and --spring.config.additional-location, set by
 * scripts/stack/nacos.sh. {@link LoopbackRaftRpcFactory} keeps the embedded JRaft port on loopback.
 */
public final class SwitchyardNacos {

    private SwitchyardNacos() {
    }

    public static void main(String[] args) {
        if (System.getProperty("nacos.standalone") == null) {
            System.setProperty("nacos.standalone", "true");
        }
        EnvUtil.setDeploymentType(DeploymentType.MERGED);
        try {
            NacosStartUpManager.start(NacosStartUp.CORE_START_UP_PHASE);
            ConfigurableApplicationContext core = new SpringApplicationBuilder(NacosServerBasicApplication.class)
                    .web(WebApplicationType.NONE)
                    .bannerMode(Banner.Mode.OFF)
                    .run(args);

            NacosStartUpManager.start(NacosStartUp.WEB_START_UP_PHASE);
            new SpringApplicationBuilder(NacosServerWebApplication.class)
                    .parent(core)
                    .bannerMode(Banner.Mode.OFF)
                    .run(args);

            NacosStartUpManager.start(NacosStartUp.CONSOLE_START_UP_PHASE);
            new SpringApplicationBuilder(NacosConsole.class)
                    .parent(core)
                    .bannerMode(Banner.Mode.OFF)
                    .run(args);
            System.out.println("switchyard-nacos: started (server + console)");
        } catch (Throwable t) {
            System.err.println("switchyard-nacos: startup failed: " + t);
            t.printStackTrace();
            System.exit(1);
        }
    }
}
