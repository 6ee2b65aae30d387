package cdna.check;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The main class the runner forks instead of {@code tlc2.TLC}: it starts a
 * daemon thread that samples TLC's own counters every few seconds and appends
 * them to a side file, then hands every argument to {@code tlc2.TLC.main}
 * unchanged.  TLC prints progress only once a minute (the interval is a
 * compile-time constant in this jar), and writing our samples into TLC's
 * output could land them inside a multi-line message, so they go to their own
 * file.  Without {@code -Dcdna.progress=FILE} this is exactly {@code tlc2.TLC}.
 *
 * <p>A line of the file: {@code millis generated distinct queue}, where millis
 * counts from this JVM's start.
 */
public final class TlcMain {
    private TlcMain() {}

    public static void main(String[] args) throws Exception {
        String file = System.getProperty("cdna.progress");
        if (file != null) {
            long every = Long.getLong("cdna.progress.ms", 2000L);
            Thread t = new Thread(() -> sample(file, every), "cdna-progress");
            t.setDaemon(true);
            t.start();
        }
        tlc2.TLC.main(args);
    }

    private static void sample(String file, long every) {
        long t0 = System.nanoTime();
        try (PrintStream out = new PrintStream(new FileOutputStream(file, true), true, StandardCharsets.UTF_8)) {
            while (true) {
                Thread.sleep(every);
                if (tlc2.TLCGlobals.mainChecker instanceof tlc2.tool.ModelChecker mc) {
                    try {
                        out.println((System.nanoTime() - t0) / 1_000_000 + " " + mc.getStatesGenerated() + " "
                                + mc.getDistinctStatesGenerated() + " " + mc.getStateQueueSize());
                    } catch (RuntimeException e) {
                        // TLC is still setting up (or tearing down) its fingerprint set or queue: skip this sample
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // no progress file: TLC runs on, only without progress
        }
    }
}
