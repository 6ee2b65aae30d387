package cdna.explore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * The Pareto frontier of explored designs: cost per packet against the set of
 * properties kept.  Design a dominates b when a costs no more, keeps every
 * property b keeps, and is strictly better in one of the two.  The frontier is
 * every design nothing dominates; two designs with the same cost and the same
 * kept set are both on it.
 */
public final class Frontier {
    private Frontier() {}

    /** One design as the frontier sees it. */
    public record Point(String design, double cost, Set<String> kept) {}

    /** Whether a dominates b. */
    public static boolean dominates(Point a, Point b) {
        if (a.cost() > b.cost() || !a.kept().containsAll(b.kept())) return false;
        return a.cost() < b.cost() || a.kept().size() > b.kept().size();
    }

    /** The points nothing dominates, cheapest first (then most properties kept, then by name). */
    public static List<Point> of(List<Point> points) {
        List<Point> out = new ArrayList<>();
        for (Point p : points) {
            boolean dominated = false;
            for (Point q : points) if (q != p && dominates(q, p)) { dominated = true; break; }
            if (!dominated) out.add(p);
        }
        out.sort(ORDER);
        return out;
    }

    /** Cheapest first, then most properties kept, then by name. */
    public static final Comparator<Point> ORDER = Comparator.comparingDouble(Point::cost)
            .thenComparing(p -> -p.kept().size()).thenComparing(Point::design);

    /** The cheapest point that keeps every property of {@code required} (null: none does). */
    public static Point cheapestKeeping(List<Point> points, Set<String> required) {
        return points.stream().filter(p -> p.kept().containsAll(required)).min(ORDER).orElse(null);
    }
}
