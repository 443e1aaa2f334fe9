package dev.switchyard.stack;

import com.alipay.sofa.jraft.rpc.RpcServer;
import com.alipay.sofa.jraft.rpc.impl.GrpcRaftRpcFactory;
import com.alipay.sofa.jraft.rpc.impl.GrpcServer;
import com.alipay.sofa.jraft.util.Endpoint;
import com.alipay.sofa.jraft.util.SPI;
import com.google.protobuf.Message;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.MutableHandlerRegistry;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * JRaft RPC factory that binds the raft gRPC server to the endpoint's IP instead of every
 * interface.
 *
 * <p>Even standalone, Nacos runs JRaft groups (persistent naming, locks) on main port - 1000, and
 * the stock {@link GrpcRaftRpcFactory} uses {@code ServerBuilder.forPort(port)}: 0.0.0.0. The test
 * stack must listen on 127.0.0.1 only, so this subclass (registered in
 * META-INF/services/com.alipay.sofa.jraft.rpc.RaftRpcFactory with a higher {@link SPI} priority,
 * which JRaft's service loader prefers) builds the same server with
 * {@code NettyServerBuilder.forAddress(endpoint ip, port)}. Everything else is inherited.
 */
@SPI(priority = 100)
public class LoopbackRaftRpcFactory extends GrpcRaftRpcFactory {

    @Override
    @SuppressWarnings("unchecked")
    public RpcServer createRpcServer(Endpoint endpoint, ConfigHelper<RpcServer> helper) {
        String ip = endpoint.getIp();
        if (ip == null || ip.isEmpty() || "0.0.0.0".equals(ip)) {
            return super.createRpcServer(endpoint, helper);
        }
        try {
            Map<String, Message> parserClasses = (Map<String, Message>) field("parserClasses").get(this);
            int maxInbound = (Integer) field("RPC_MAX_INBOUND_MESSAGE_SIZE").get(null);
            MutableHandlerRegistry registry = new MutableHandlerRegistry();
            Server server = NettyServerBuilder.forAddress(new InetSocketAddress(ip, endpoint.getPort()))
                    .fallbackHandlerRegistry(registry)
                    .directExecutor()
                    .maxInboundMessageSize(maxInbound)
                    .build();
            GrpcServer rpcServer = new GrpcServer(server, registry, parserClasses, getMarshallerRegistry());
            if (helper != null) {
                helper.config(rpcServer);
            }
            return rpcServer;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("switchyard: cannot build a loopback raft RPC server", e);
        }
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field f = GrpcRaftRpcFactory.class.getDeclaredField(name);
        f.setAccessible(true);
        return f;
    }
}
