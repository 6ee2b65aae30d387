package cdna.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Zeller's delta debugging (ddmin): finds a 1-minimal sub-sequence of a failing
 * step list, one from which no single step can be removed without losing the
 * failure.  Any sub-sequence is a valid run here, because a step whose
 * precondition no longer holds is simply refused.
 */
public final class Shrinker {
    private Shrinker() {}

    public static <T> List<T> ddmin(List<T> failing, Predicate<List<T>> fails) {
        if (!fails.test(failing)) throw new IllegalArgumentException("the input does not fail");
        List<T> cur = new ArrayList<>(failing);
        int n = 2;
        while (cur.size() >= 2) {
            int chunk = (int) Math.ceil(cur.size() / (double) n);
            boolean reduced = false;
            // Try each chunk alone, then each complement.
            for (int i = 0; i < n && !reduced; i++) {
                List<T> part = slice(cur, i * chunk, Math.min(cur.size(), (i + 1) * chunk));
                if (!part.isEmpty() && part.size() < cur.size() && fails.test(part)) {
                    cur = part;
                    n = 2;
                    reduced = true;
                }
            }
            for (int i = 0; i < n && !reduced; i++) {
                List<T> rest = new ArrayList<>(slice(cur, 0, Math.min(cur.size(), i * chunk)));
                rest.addAll(slice(cur, Math.min(cur.size(), (i + 1) * chunk), cur.size()));
                if (rest.size() < cur.size() && fails.test(rest)) {
                    cur = rest;
                    n = Math.max(n - 1, 2);
                    reduced = true;
                }
            }
            if (!reduced) {
                if (n >= cur.size()) break;
                n = Math.min(cur.size(), 2 * n);
            }
        }
        return cur;
    }

    private static <T> List<T> slice(List<T> l, int from, int to) {
        return from >= to ? List.of() : new ArrayList<>(l.subList(from, to));
    }
}
