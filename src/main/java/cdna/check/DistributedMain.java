package cdna.check;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMISocketFactory;

/**
 * The main class {@link DistributedTlc} forks for TLC's distributed server and
 * workers: {@code server ARGS} runs {@code tlc2.tool.distributed.TLCServer},
 * {@code worker HOST} runs {@code tlc2.tool.distributed.TLCWorker}.  TLC creates
 * its RMI registry and exports its objects without a socket factory, so they
 * listen on every interface; {@code java.rmi.server.hostname} only changes the
 * address stubs advertise.  With {@code -Dcdna.rmi.bind=ADDRESS} this class
 * first installs RMI's default socket factory with server sockets bound to that
 * address (127.0.0.1 for loopback runs), so neither the registry nor any
 * exported object is reachable from another machine.
 */
public final class DistributedMain {
    private DistributedMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("server") || args[0].equals("worker"))) {
            System.err.println("usage: DistributedMain server TLC-SERVER-ARGS... | worker SERVER-HOST");
            System.exit(1);
        }
        String bind = System.getProperty("cdna.rmi.bind");
        if (bind != null) RMISocketFactory.setSocketFactory(new BoundFactory(InetAddress.getByName(bind)));
        String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
        if (args[0].equals("server")) tlc2.tool.distributed.TLCServer.main(rest);
        else tlc2.tool.distributed.TLCWorker.main(rest);
    }

    /** RMI sockets whose listening side is bound to one address. */
    private static final class BoundFactory extends RMISocketFactory {
        private final InetAddress address;

        BoundFactory(InetAddress address) {
            this.address = address;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return new Socket(host, port);
        }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, address);
        }
    }
}
