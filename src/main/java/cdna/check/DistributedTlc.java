package cdna.check;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * TLC's distributed mode (one TLCServer JVM and TLCWorker JVMs talking RMI)
 * behind a fail-closed wrapper.  The served TLC's server exits 0 whatever
 * happens, prints a wrong two-state trace and no violation message when a
 * worker finds a violation, and finishes with "No error has been found" after
 * losing a worker (measured: docs/distributed.md).  So a run is judged here,
 * not by its exit code: it is {@link Verdict#CLEAN} only if the server exited 0
 * with TLC's completion message, statistics and depth, every expected worker
 * registered and none was lost, every local worker finished its work and
 * exited 0, and no error, warning or exception was printed.  Any sign of a
 * violation makes it {@link Verdict#VIOLATION}, which the caller must re-check
 * with local TLC (the distributed trace is never shown); anything else is
 * {@link Verdict#IRREGULAR}, naming the cause, and never a pass.
 *
 * <p>Without named hosts the server and workers listen on 127.0.0.1 only
 * ({@link DistributedMain}); with named hosts the server listens on every
 * interface and waits for one worker per host, started by the user with the
 * command line this class reports.
 */
public final class DistributedTlc {
    /** TLC's distributed message codes (tlc2.output.EC), as this jar prints them. */
    static final int SERVER_READY = 7000, WORKER_REGISTERED = 7001, WORKER_DEREGISTERED = 7002,
            WORKER_LOST = 7006, BLOCK_LIMITED = 7007;
    /** Any of these means a worker found a violation (the server's trace of it is wrong). */
    private static final Set<Integer> VIOLATION_CODES = Set.of(TlcOutput.INVARIANT_VIOLATED,
            TlcOutput.INVARIANT_VIOLATED_INITIAL, TlcOutput.ACTION_PROPERTY_VIOLATED,
            TlcOutput.TEMPORAL_PROPERTY_VIOLATED, TlcOutput.DEADLOCK, TlcOutput.ASSERTION_FAILED,
            TlcOutput.TRACE_BEGINS, TlcOutput.LASSO_BEGINS, TlcOutput.TRACE_STATE);
    private static final Pattern VIOLATION_TEXT = Pattern.compile("is violated|deadlock reached|Deadlock reached");
    private static final Pattern TROUBLE = Pattern.compile("Exception|OutOfMemoryError|Error:|error:|Killed");
    /** A line every worker prints (its RMI reference has no readable port); harmless. */
    private static final String WORKER_PORT_NOTE = "VM does not allow to get the UnicastRef port";

    /**
     * Where workers come from.
     *
     * @param localWorkers workers started here (on loopback when no host is named)
     * @param hosts        other machines, each expected to start one worker against this server
     */
    public record Plan(int localWorkers, List<String> hosts) {
        private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:]+\\]");

        public Plan {
            hosts = List.copyOf(hosts);
        }

        public boolean loopback() { return hosts.isEmpty(); }

        public int expectedWorkers() { return localWorkers + hosts.size(); }

        /** What is wrong with this plan, or null. */
        public String problem() {
            if (localWorkers < 0 || localWorkers > 64) return "the number of local workers must be between 0 and 64, found " + localWorkers;
            if (expectedWorkers() < 1) return "a distributed run needs at least one worker (local or on a named host)";
            for (String h : hosts) {
                if (!HOST.matcher(h).matches()) return "\"" + h + "\" is not a host name or address";
            }
            return null;
        }
    }

    /**
     * One distributed run.
     *
     * @param heap           -Xmx of every JVM (null: the launcher's)
     * @param workersStarted called with the local worker processes once they are started (tests kill one); may be null
     * @param listener       told the remote workers' command line and what the run waits for; may be null
     */
    public record Request(Path module, Path cfg, List<Path> libraryPath, Plan plan, Duration timeout, Path workDir,
                          String heap, List<String> extraArgs, Consumer<List<Process>> workersStarted,
                          Consumer<String> listener) {}

    /** A worker JVM started here: its exit code, or null when it was still running and was killed. */
    public record Worker(int index, List<String> command, Integer exitCode, Path log, List<String> output) {}

    /** What happened, before interpretation. */
    public record Run(List<String> serverCommand, int serverExit, boolean timedOut, double seconds, Path serverLog,
                      List<String> serverOutput, List<Worker> workers, List<String> remoteWorkerCommand, int port) {
        /** Every command line of this run, for the record. */
        public List<String> commands() {
            List<String> c = new ArrayList<>();
            c.add(TlcRunner.shellLine(serverCommand));
            for (Worker w : workers) c.add(TlcRunner.shellLine(w.command()));
            if (!remoteWorkerCommand.isEmpty()) c.add("(on each named host) " + TlcRunner.shellLine(remoteWorkerCommand));
            return List.copyOf(c);
        }
    }

    public enum Verdict { CLEAN, VIOLATION, IRREGULAR }

    /** The judgement of a run: why it is not clean (null when clean). */
    public record Judgement(Verdict verdict, String cause) {}

    private final TlcRunner.Launcher launcher;

    /** @param launcher the classpath and JVM arguments of the server and the local workers (its main class is not used) */
    public DistributedTlc(TlcRunner.Launcher launcher) {
        this.launcher = launcher;
    }

    public Run run(Request r) throws IOException {
        if (TlcRunner.stopped()) throw new IOException("interrupted: no new TLC run is started");
        String problem = r.plan().problem();
        if (problem != null) throw new IllegalArgumentException(problem);
        Files.createDirectories(r.workDir());
        Path tmp = Files.createDirectories(r.workDir().resolve("tmp"));
        Path serverLog = r.workDir().resolve("server.log");
        boolean loop = r.plan().loopback();
        int port = freePort(loop);
        String bindHost = "127.0.0.1";
        String serverHost = loop ? bindHost : InetAddress.getLocalHost().getCanonicalHostName();

        // Workers fetch the spec's files from the server by base name, and the server looks a name up in its own
        // search path: a generated cfg named like a cfg of model-check/ was silently replaced by that one (measured).
        // So the run gets a directory of its own holding the root module and the cfg under a name found nowhere else.
        Path stage = Files.createDirectories(r.workDir().resolve("spec"));
        String cfgBase = r.cfg().getFileName().toString().replaceFirst("\\.cfg$", "");
        String cfgName = cfgBase + "-run" + Long.toString(System.nanoTime(), 36) + ".cfg";
        Files.copy(r.cfg(), stage.resolve(cfgName));
        Path module = stage.resolve(r.module().getFileName().toString());
        Files.copy(r.module(), module, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        List<Path> library = new ArrayList<>();
        library.add(r.module().toAbsolutePath().getParent());
        library.addAll(r.libraryPath());

        List<String> server = jvm(r, library, tmp, port, loop);
        server.addAll(List.of(DistributedMain.class.getName(), "server", "-tool", "-metadir",
                r.workDir().resolve("metadir").toAbsolutePath().toString(), "-config", cfgName));
        server.addAll(r.extraArgs());
        server.add(module.toAbsolutePath().toString());
        List<String> remote = new ArrayList<>();
        if (!loop) {
            remote.addAll(List.of("java", "-Xmx" + (r.heap() == null ? "4g" : r.heap()), "-Dtlc2.tool.distributed.TLCServer.port=" + port,
                    "-Dtlc2.tool.distributed.TLCWorker.threadCount=1", "-cp", "tla2tools.jar",
                    "tlc2.tool.distributed.TLCWorker", serverHost));
        }

        long t0 = System.nanoTime();
        long deadline = t0 + r.timeout().toNanos();
        List<Process> live = new ArrayList<>();
        List<Process> workers = new ArrayList<>();
        List<List<String>> workerCmds = new ArrayList<>();
        Set<Process> stillRunning = new java.util.HashSet<>();
        Process sp = new ProcessBuilder(server).directory(stage.toFile())
                .redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        live.add(sp);
        TlcRunner.register(sp);
        boolean timedOut = false;
        try {
            // workers may register only once the server has its initial states and says it is ready
            while (!readyOrGone(sp, serverLog)) {
                if (System.nanoTime() > deadline) { timedOut = true; break; }
                Thread.sleep(200);
            }
            if (!timedOut && sp.isAlive()) {
                for (int i = 0; i < r.plan().localWorkers(); i++) {
                    List<String> w = jvm(r, library, tmp, port, loop);
                    w.add("-Dtlc2.tool.distributed.TLCWorker.threadCount=1");
                    w.addAll(List.of(DistributedMain.class.getName(), "worker", loop ? bindHost : serverHost));
                    workerCmds.add(w);
                    Process p = new ProcessBuilder(w).directory(stage.toFile())
                            .redirectErrorStream(true).redirectOutput(r.workDir().resolve("worker-" + (i + 1) + ".log").toFile())
                            .start();
                    live.add(p);
                    workers.add(p);
                    TlcRunner.register(p);
                }
                if (r.listener() != null && !loop) {
                    r.listener().accept("distributed TLC server on " + serverHost + " port " + port + " waits for "
                            + r.plan().hosts().size() + " worker(s) on " + r.plan().hosts() + "; start one on each with: "
                            + TlcRunner.shellLine(remote));
                }
                if (r.workersStarted() != null) r.workersStarted().accept(List.copyOf(workers));
                while (!sp.waitFor(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)),
                        TimeUnit.MILLISECONDS)) {
                    if (System.nanoTime() > deadline) { timedOut = true; break; }
                    if (TlcRunner.stopped()) break;
                }
            }
            if (!timedOut && !sp.isAlive()) {
                // a worker that is told the run is over exits within a second or two
                long grace = System.nanoTime() + 15_000_000_000L;
                for (Process p : workers) p.waitFor(Math.max(1, grace - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while distributed TLC was running", e);
        } finally {
            for (Process p : live) {
                if (p.isAlive()) {
                    stillRunning.add(p);
                    TlcRunner.kill(p);
                }
                TlcRunner.unregister(p);
            }
        }
        if (TlcRunner.stopped()) throw new IOException("interrupted while distributed TLC was running");
        double seconds = (System.nanoTime() - t0) / 1e9;
        List<Worker> ws = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) {
            Path log = r.workDir().resolve("worker-" + (i + 1) + ".log");
            ws.add(new Worker(i + 1, List.copyOf(workerCmds.get(i)), stillRunning.contains(workers.get(i)) ? null : workers.get(i).exitValue(), log,
                    Files.readAllLines(log, StandardCharsets.UTF_8)));
        }
        Run run = new Run(List.copyOf(server), timedOut ? -1 : sp.exitValue(), timedOut, seconds, serverLog,
                Files.readAllLines(serverLog, StandardCharsets.UTF_8), List.copyOf(ws), List.copyOf(remote), port);
        Files.writeString(r.workDir().resolve("commands.txt"), String.join("\n", run.commands()) + "\n");
        return run;
    }

    /**
     * Whether the run may count: see the class comment.  Checked in this order:
     * violation, timeout, then every irregularity.
     */
    public static Judgement judge(Run run, Plan plan) {
        TlcOutput out = TlcOutput.parse(run.serverOutput());
        String all = String.join("\n", run.serverOutput());
        for (TlcOutput.Message m : out.messages()) {
            if (VIOLATION_CODES.contains(m.code())) {
                return new Judgement(Verdict.VIOLATION, "the server reported a violation (message " + m.code() + ")");
            }
        }
        if (VIOLATION_TEXT.matcher(all).find()) return new Judgement(Verdict.VIOLATION, "the server reported a violation");
        for (Worker w : run.workers()) {
            if (VIOLATION_TEXT.matcher(String.join("\n", w.output())).find()) {
                return new Judgement(Verdict.VIOLATION, "worker " + w.index() + " reported a violation");
            }
        }
        if (run.timedOut()) {
            long[] p = progress(run);
            return new Judgement(Verdict.IRREGULAR, "the run did not finish within its time budget of "
                    + Math.round(run.seconds()) + " s and was killed" + (p == null ? "" : " (at its last report: depth "
                    + p[0] + ", " + p[2] + " distinct states, " + p[3] + " on the queue)"));
        }
        if (run.serverExit() != 0) return new Judgement(Verdict.IRREGULAR, "the server exited with code " + run.serverExit());
        long registered = out.messages().stream().filter(m -> m.code() == WORKER_REGISTERED).count();
        if (registered < plan.expectedWorkers()) {
            return new Judgement(Verdict.IRREGULAR, registered + " worker(s) registered, " + plan.expectedWorkers() + " expected");
        }
        for (TlcOutput.Message m : out.messages()) {
            if (m.code() == WORKER_LOST || m.code() == WORKER_DEREGISTERED || m.code() == BLOCK_LIMITED) {
                return new Judgement(Verdict.IRREGULAR, "a worker was lost during the run: " + firstLine(m.text()));
            }
            // a warning of the model (as local TLC prints it too: a one-element symmetry set) does not taint the run;
            // the general code 1000 is how the server warns of dead workers ("Ignoring attempt to exit dead worker")
            if (m.severity() == 3 && m.code() != 1000) continue;
            if (m.severity() != 0) {
                return new Judgement(Verdict.IRREGULAR, "the server printed " + (m.severity() == 3 ? "a warning" : "an error")
                        + " (message " + m.code() + "): " + firstLine(m.text()));
            }
        }
        for (String l : out.looseLines()) {
            if (TROUBLE.matcher(l).find()) return new Judgement(Verdict.IRREGULAR, "the server printed: " + l.trim());
        }
        for (Worker w : run.workers()) {
            if (w.exitCode() == null) {
                return new Judgement(Verdict.IRREGULAR, "worker " + w.index() + " was still running when the server finished");
            }
            if (w.exitCode() != 0) {
                return new Judgement(Verdict.IRREGULAR, "worker " + w.index() + " exited with code " + w.exitCode()
                        + (w.exitCode() == 137 || w.exitCode() == 143 ? " (killed)" : ""));
            }
            if (w.output().stream().noneMatch(l -> l.contains("work completed"))) {
                return new Judgement(Verdict.IRREGULAR, "worker " + w.index() + " exited without finishing its work");
            }
            for (String l : w.output()) {
                if (TROUBLE.matcher(l).find() && !l.contains(WORKER_PORT_NOTE)) {
                    return new Judgement(Verdict.IRREGULAR, "worker " + w.index() + " printed: " + l.trim());
                }
            }
        }
        if (!out.has(TlcOutput.SUCCESS)) return new Judgement(Verdict.IRREGULAR, "the server printed no completion message");
        if (out.stats() == null) return new Judgement(Verdict.IRREGULAR, "the server printed no final state counts");
        if (out.depth() == null) return new Judgement(Verdict.IRREGULAR, "the server printed no search depth");
        if (out.stats()[0] <= 0 || out.stats()[1] <= 0) {
            return new Judgement(Verdict.IRREGULAR, "the server's final state counts are not positive");
        }
        return new Judgement(Verdict.CLEAN, null);
    }

    private static final Pattern PROGRESS = Pattern.compile(
            "Progress\\((\\d+)\\) at [^:]+:\\d+:\\d+: ([\\d,]+) states generated .*?, ([\\d,]+) distinct states found .*?, ([\\d,]+) states left on queue");

    /**
     * The server's last progress report (once a minute): depth, states generated, distinct states, queue; null if
     * none.  For the record of a run that did not finish; never a verdict.
     */
    public static long[] progress(Run run) {
        long[] last = null;
        for (TlcOutput.Message m : TlcOutput.parse(run.serverOutput()).messages()) {
            if (m.code() != 2200) continue;
            java.util.regex.Matcher x = PROGRESS.matcher(m.text());
            if (x.find()) {
                last = new long[] {Long.parseLong(x.group(1)), num(x.group(2)), num(x.group(3)), num(x.group(4))};
            }
        }
        return last;
    }

    private static long num(String s) {
        return Long.parseLong(s.replace(",", ""));
    }

    /** The server's final output read as a run of tlc2.TLC, for {@link Outcome#of}: only for a clean run. */
    public static TlcRunner.Run asTlcRun(Run run) {
        return new TlcRunner.Run(run.serverCommand(), run.serverExit(), run.timedOut(), run.seconds(), run.serverLog(),
                run.serverOutput());
    }

    private List<String> jvm(Request r, List<Path> library, Path tmp, int port, boolean loop) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : launcher.jvmArgs()) if (r.heap() == null || !a.startsWith("-Xmx")) cmd.add(a);
        if (r.heap() != null) cmd.add("-Xmx" + r.heap());
        StringBuilder lib = new StringBuilder();
        for (Path p : library) {
            if (lib.length() > 0) lib.append(File.pathSeparator);
            lib.append(p.toAbsolutePath());
        }
        cmd.add("-DTLA-Library=" + lib);
        cmd.add("-Djava.io.tmpdir=" + tmp.toAbsolutePath());
        cmd.add("-Dtlc2.tool.distributed.TLCServer.port=" + port);
        if (loop) {
            cmd.add("-Djava.rmi.server.hostname=127.0.0.1");
            cmd.add("-Dcdna.rmi.bind=127.0.0.1");
        }
        cmd.add("-cp");
        cmd.add(launcher.classpath());
        return cmd;
    }

    /** A port for the server's RMI registry, free when asked (TLC's fixed default would clash between runs). */
    private static int freePort(boolean loop) throws IOException {
        try (ServerSocket s = loop ? new ServerSocket(0, 1, InetAddress.getLoopbackAddress()) : new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean readyOrGone(Process server, Path log) throws IOException {
        if (!server.isAlive()) return true;
        if (!Files.exists(log)) return false;
        for (String l : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            if (l.startsWith("@!@!@STARTMSG " + SERVER_READY + ":")) return true;
        }
        return false;
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
