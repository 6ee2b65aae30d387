package cdna.provision;

import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Drives the twin by the spec's action names, for trace replay and seeded
 * random runs.  Tick's new backlog is the guests' choice, not the NIC's: a
 * replay takes it from the trace's next state, a random run draws it.
 */
public final class ProvisionDriver {
    private ProvisionDriver() {}

    /** The spec's actions with their parameters, as the spec's TraceActions has them. */
    public static final List<String> ACTIONS = List.of("Assign", "Release", "Send", "Tick");

    /** The names of an action's parameters; null for no such action. */
    public static List<String> params(String action) {
        return switch (action) {
            case "Assign", "Release", "Send" -> List.of("c");
            case "Tick" -> List.of("none");
            default -> null;
        };
    }

    /**
     * Takes the action of that name: context c for Assign, Release and Send,
     * the next tick's backlog for Tick.  Returns whether it was enabled and taken.
     *
     * @throws IllegalArgumentException for a name that is not an action of the spec
     */
    public static boolean take(ProvisionedHost h, String action, int c, Set<Integer> nextBacklog) {
        return switch (action) {
            case "Assign" -> h.assign(c);
            case "Release" -> h.release(c);
            case "Send" -> h.send(c);
            case "Tick" -> h.tick(nextBacklog);
            default -> throw new IllegalArgumentException("\"" + action + "\" is not an action of Provisioning");
        };
    }

    /**
     * One random step with {@code greedy} contexts always backlogged once
     * assigned and the others backlogged half the time: at a tick's start the
     * hypervisor assigns or releases now and then (with probability
     * {@code churn}); the arbiter sends while it can, picking among the
     * contexts it may grant at random or, with {@code priority}, the
     * highest-numbered one (a fixed priority, as simple arbiters have); then
     * time advances.  Returns the step's label.
     */
    public static String randomStep(ProvisionedHost h, SplittableRandom rnd, Set<Integer> greedy, double churn, boolean priority) {
        int n = h.config().contexts();
        if (totalSent(h) == 0 && rnd.nextDouble() < churn) {
            int c = 1 + rnd.nextInt(n);
            if (!h.assigned(c) && h.assign(c)) return "Assign(" + c + ")";
            if (h.assigned(c) && rnd.nextInt(4) == 0 && h.release(c)) return "Release(" + c + ")";
        }
        List<Integer> may = new java.util.ArrayList<>();
        for (int c = 1; c <= n; c++) if (canSend(h, c)) may.add(c);
        if (!may.isEmpty()) {
            int c = priority ? may.get(may.size() - 1) : may.get(rnd.nextInt(may.size()));
            h.send(c);
            return "Send(" + c + ")";
        }
        Set<Integer> next = new TreeSet<>();
        for (int c = 1; c <= n; c++) if (h.assigned(c) && (greedy.contains(c) || rnd.nextBoolean())) next.add(c);
        if (!h.tick(next)) throw new IllegalStateException("neither a send nor a tick is enabled");
        return "Tick";
    }

    private static int totalSent(ProvisionedHost h) {
        int s = 0;
        for (int c = 1; c <= h.config().contexts(); c++) s += h.sentNow(c);
        return s;
    }

    /** Whether Send(c) is enabled (asked without taking it). */
    private static boolean canSend(ProvisionedHost h, int c) {
        return h.mayGrant(c);
    }
}
