import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Benchmark upstream: TCP line echo (a CRLF or LF terminated line comes back as it came)
 * and UDP echo, and a UDP sink that reads datagrams and answers none (the peer of
 * fire-and-forget), on 127.0.0.1, one selector thread for everything, so it holds 10,000+
 * connections with one thread.
 *
 * <pre>
 * java bench/EchoServer.java [tcpPort] [udpPort] [portsFile]
 * </pre>
 *
 * Port 0 picks a free port (the sink's is always free); the chosen ports are printed as
 * "tcp=N udp=N sink=N" on one line and,
 * when portsFile is given, written there too. Runs until killed.
 */
public final class EchoServer {

	public static void main(String[] args) throws IOException {
		int tcpPort = (args.length > 0) ? Integer.parseInt(args[0]) : 0;
		int udpPort = (args.length > 1) ? Integer.parseInt(args[1]) : 0;
		Selector selector = Selector.open();
		ServerSocketChannel server = ServerSocketChannel.open();
		server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
		server.bind(new InetSocketAddress("127.0.0.1", tcpPort), 4096);
		server.configureBlocking(false);
		server.register(selector, SelectionKey.OP_ACCEPT);
		DatagramChannel udp = DatagramChannel.open();
		udp.bind(new InetSocketAddress("127.0.0.1", udpPort));
		udp.configureBlocking(false);
		udp.register(selector, SelectionKey.OP_READ);
		// a UDP sink: reads every datagram and answers none, the peer of fire-and-forget
		DatagramChannel sink = DatagramChannel.open();
		sink.bind(new InetSocketAddress("127.0.0.1", 0));
		sink.configureBlocking(false);
		sink.register(selector, SelectionKey.OP_READ);
		String ports = "tcp=" + ((InetSocketAddress) server.getLocalAddress()).getPort() + " udp="
				+ ((InetSocketAddress) udp.getLocalAddress()).getPort() + " sink="
				+ ((InetSocketAddress) sink.getLocalAddress()).getPort();
		if (args.length > 2) {
			Path file = Path.of(args[2]);
			Path tmp = Path.of(args[2] + ".tmp");
			Files.writeString(tmp, ports + "\n");
			Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
		}
		System.out.println(ports);
		System.out.flush();
		ByteBuffer datagram = ByteBuffer.allocateDirect(65_536);
		ByteBuffer read = ByteBuffer.allocateDirect(64 * 1024);
		while (true) {
			selector.select();
			Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
			while (keys.hasNext()) {
				SelectionKey key = keys.next();
				keys.remove();
				try {
					if (!key.isValid()) {
						continue;
					}
					if (key.isAcceptable()) {
						accept(server, selector);
					}
					else if (key.channel() == udp) {
						echoDatagrams(udp, datagram);
					}
					else if (key.channel() == sink) {
						drainDatagrams(sink, datagram);
					}
					else {
						if (key.isReadable()) {
							readLines(key, read);
						}
						if (key.isValid() && key.isWritable()) {
							flush(key);
						}
					}
				}
				catch (IOException ex) {
					close(key);
				}
			}
		}
	}

	private static void accept(ServerSocketChannel server, Selector selector) throws IOException {
		SocketChannel channel;
		while ((channel = server.accept()) != null) {
			channel.configureBlocking(false);
			channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
			channel.register(selector, SelectionKey.OP_READ, new Conn());
		}
	}

	private static void echoDatagrams(DatagramChannel udp, ByteBuffer buffer) throws IOException {
		for (int i = 0; i < 64; i++) {
			buffer.clear();
			var from = udp.receive(buffer);
			if (from == null) {
				return;
			}
			buffer.flip();
			udp.send(buffer, from);
		}
	}

	private static void drainDatagrams(DatagramChannel sink, ByteBuffer buffer) throws IOException {
		for (int i = 0; i < 64; i++) {
			buffer.clear();
			if (sink.receive(buffer) == null) {
				return;
			}
		}
	}

	/**
	 * Echoes every complete line read so far; a partial line waits for its end.
	 */
	private static void readLines(SelectionKey key, ByteBuffer read) throws IOException {
		SocketChannel channel = (SocketChannel) key.channel();
		Conn conn = (Conn) key.attachment();
		read.clear();
		int n = channel.read(read);
		if (n < 0) {
			close(key);
			return;
		}
		read.flip();
		while (read.hasRemaining()) {
			byte b = read.get();
			conn.line = conn.append(conn.line, b);
			if (b == '\n') {
				conn.out = conn.appendAll(conn.out, conn.line.array(), conn.line.position());
				conn.line.clear();
			}
		}
		if (conn.out != null && conn.out.position() > 0) {
			flush(key);
		}
	}

	private static void flush(SelectionKey key) throws IOException {
		SocketChannel channel = (SocketChannel) key.channel();
		Conn conn = (Conn) key.attachment();
		conn.out.flip();
		channel.write(conn.out);
		conn.out.compact();
		if (conn.out.position() > 0) {
			key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
		}
		else {
			key.interestOps(SelectionKey.OP_READ);
		}
	}

	private static void close(SelectionKey key) {
		key.cancel();
		try {
			key.channel().close();
		}
		catch (IOException ignored) {
			// closing anyway
		}
	}

	/** Per-connection state, small so that 10,000 connections stay cheap. */
	private static final class Conn {

		ByteBuffer line = ByteBuffer.allocate(64);

		ByteBuffer out = ByteBuffer.allocate(64);

		ByteBuffer append(ByteBuffer buffer, byte b) {
			if (!buffer.hasRemaining()) {
				buffer = grow(buffer, 1);
			}
			buffer.put(b);
			return buffer;
		}

		ByteBuffer appendAll(ByteBuffer buffer, byte[] bytes, int length) {
			if (buffer.remaining() < length) {
				buffer = grow(buffer, length);
			}
			buffer.put(bytes, 0, length);
			return buffer;
		}

		private static ByteBuffer grow(ByteBuffer buffer, int extra) {
			ByteBuffer bigger = ByteBuffer.allocate(Math.max(buffer.capacity() * 2, buffer.position() + extra));
			buffer.flip();
			bigger.put(buffer);
			return bigger;
		}

	}

}
