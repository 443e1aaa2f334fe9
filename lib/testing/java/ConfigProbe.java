import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.Listener;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.security.MessageDigest;
import java.util.Properties;
import java.util.concurrent.Executor;

/**
 * A real Nacos application for tests and benchmarks: the official Java SDK (gRPC), reporting the
 * client IP given on the command line (-Dcom.alibaba.nacos.client.local.ip, as an application on
 * that host would). Reads commands on stdin — "listen <dataId> <group>", "get <dataId> <group>" —
 * and prints one JSON line per event on stdout, with the wall-clock time in epoch milliseconds.
 *
 * Usage: ConfigProbe <serverAddr host:port> <contextPath> <namespace> <username> <password>
 */
public final class ConfigProbe {
  private static String json(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') b.append('\\').append(c);
      else if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
      else b.append(c);
    }
    return b.append('"').toString();
  }

  private static String md5(String s) throws Exception {
    StringBuilder b = new StringBuilder();
    for (byte x : MessageDigest.getInstance("MD5").digest(s.getBytes("UTF-8"))) b.append(String.format("%02x", x));
    return b.toString();
  }

  private static synchronized void emit(String line) {
    System.out.println(line);
    System.out.flush();
  }

  public static void main(String[] a) throws Exception {
    Properties p = new Properties();
    p.put("serverAddr", a[0]);
    p.put("contextPath", a[1]);
    p.put("namespace", a[2]);
    p.put("username", a[3]);
    p.put("password", a[4]);
    ConfigService cs = NacosFactory.createConfigService(p);
    emit("{\"event\":\"ready\",\"t\":" + System.currentTimeMillis() + "}");
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
    String line;
    while ((line = in.readLine()) != null) {
      String[] c = line.trim().split(" ");
      try {
        if (c[0].equals("listen")) {
          final String dataId = c[1];
          final String group = c[2];
          String initial = cs.getConfigAndSignListener(dataId, group, 5000, new Listener() {
            public Executor getExecutor() {
              return null;
            }

            public void receiveConfigInfo(String content) {
              long t = System.currentTimeMillis();
              try {
                emit("{\"event\":\"change\",\"dataId\":" + json(dataId) + ",\"md5\":\"" + md5(content == null ? "" : content) + "\",\"content\":" + json(content == null ? "" : content) + ",\"t\":" + t + "}");
              } catch (Exception e) {
                emit("{\"event\":\"error\",\"message\":" + json(String.valueOf(e)) + "}");
              }
            }
          });
          emit("{\"event\":\"listening\",\"dataId\":" + json(dataId) + ",\"content\":" + json(initial == null ? "" : initial) + "}");
        } else if (c[0].equals("get")) {
          String s = cs.getConfig(c[1], c[2], 5000);
          emit("{\"event\":\"content\",\"dataId\":" + json(c[1]) + ",\"content\":" + json(s == null ? "" : s) + "}");
        }
      } catch (Exception e) {
        emit("{\"event\":\"error\",\"message\":" + json(String.valueOf(e)) + "}");
      }
    }
    cs.shutDown();
    System.exit(0);
  }
}
