package cdna.check;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Runs independent jobs (one TLC model each) on a fixed number of lanes,
 * longest expected first, and returns their results in submission order.
 *
 * <p>Why lanes rather than more TLC workers: on this 2-core machine two
 * single-worker TLCs side by side each run as fast as one alone, while one TLC
 * with two workers gains 1.27× (liveness) to 1.9× (safety); and a
 * single-worker run's first counterexample is already the shortest, so no
 * second run is needed to get it.  Longest-first (LPT) keeps the lanes evenly
 * loaded when one model dominates.
 */
public final class Lanes {
    private Lanes() {}

    /** A job with its expected duration in seconds (a scheduling hint only). */
    public record Job<T>(String name, double expectedSeconds, Supplier<T> work) {}

    /**
     * @param lanes how many jobs run at once (1: in submission order, on this thread)
     * @param done  called with each result as it arrives (from the lane's thread)
     */
    public static <T> List<T> run(List<Job<T>> jobs, int lanes, java.util.function.Consumer<T> done) {
        if (lanes <= 1) {
            List<T> out = new ArrayList<>();
            for (Job<T> j : jobs) {
                T r = j.work().get();
                done.accept(r);
                out.add(r);
                if (TlcRunner.stopped()) break;
            }
            return out;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> -jobs.get(i).expectedSeconds()).thenComparingInt(i -> i));
        ExecutorService pool = Executors.newFixedThreadPool(lanes, r -> {
            Thread t = new Thread(r, "cdna-lane");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) futures.add(null);
            for (int i : order) {
                Job<T> j = jobs.get(i);
                futures.set(i, pool.submit(() -> {
                    T r = j.work().get();
                    done.accept(r);
                    return r;
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    out.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    TlcRunner.stopAll();
                    break;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("a model run failed unexpectedly", e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
