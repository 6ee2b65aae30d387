package cdna.migration;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Drives the twin with arbitrary steps, for seeded random runs and fuzzing:
 * every action of the spec, at any moment, with any parameters, so the
 * migration starts, fails over, unplugs and resumes at random points while the
 * guest writes, its device DMAs, frames land anywhere and the other guest
 * takes every page and context A frees.  A step that is not enabled changes
 * nothing, as in the spec.
 */
public final class HandoffDriver {
    private HandoffDriver() {}

    /** The spec's actions, in the order a choice byte picks them (fixed: saved fuzz inputs depend on it), with their parameters. */
    private static final java.util.LinkedHashMap<String, List<String>> PARAMS = new java.util.LinkedHashMap<>();
    static {
        String[][] table = {
                {"GuestWrite", "p"}, {"CopyPage", "p"}, {"DeviceWrite"}, {"SendFrame"}, {"DropFrame", "f"}, {"LandOnB", "f"},
                {"LandOnA", "f", "p"}, {"Flood", "f", "p"}, {"StartMigration"}, {"Failover"}, {"RequestUnplug"}, {"UnplugDone"},
                {"UnplugFails"}, {"CancelMigration"}, {"QuiesceContext"}, {"Stop"}, {"StopCopyDone"}, {"Resume"},
                {"AttachDirectB"}, {"RunOnB"}, {"ReleasePages"}, {"ReleaseContext"}, {"AssignToOther"}, {"OtherTakesPage", "p"}};
        for (String[] row : table) PARAMS.put(row[0], List.of(row).subList(1, row.length));
    }

    public static final List<String> ACTIONS = List.copyOf(PARAMS.keySet());

    /** The names of an action's parameters, as the spec's TraceActions has them; null for no such action. */
    public static List<String> params(String action) { return PARAMS.get(action); }

    /**
     * Takes the action of that name with its parameters (a frame f, a page p;
     * those it does not have are ignored).  Returns whether it was enabled and taken.
     *
     * @throws IllegalArgumentException for a name that is not an action of the spec
     */
    public static boolean take(Handoff h, String action, int f, int p) {
        return switch (action) {
            case "GuestWrite" -> h.guestWrite(p);
            case "CopyPage" -> h.copyPage(p);
            case "DeviceWrite" -> h.deviceWrite();
            case "SendFrame" -> h.sendFrame();
            case "DropFrame" -> h.dropFrame(f);
            case "LandOnB" -> h.landOnB(f);
            case "LandOnA" -> h.landOnA(f, p);
            case "Flood" -> h.flood(f, p);
            case "StartMigration" -> h.startMigration();
            case "Failover" -> h.failover();
            case "RequestUnplug" -> h.requestUnplug();
            case "UnplugDone" -> h.unplugDone();
            case "UnplugFails" -> h.unplugFails();
            case "CancelMigration" -> h.cancelMigration();
            case "QuiesceContext" -> h.quiesceContext();
            case "Stop" -> h.stop();
            case "StopCopyDone" -> h.stopCopyDone();
            case "Resume" -> h.resume();
            case "AttachDirectB" -> h.attachDirectB();
            case "RunOnB" -> h.runOnB();
            case "ReleasePages" -> h.releasePages();
            case "ReleaseContext" -> h.releaseContext();
            case "AssignToOther" -> h.assignToOther();
            case "OtherTakesPage" -> h.otherTakesPage(p);
            default -> throw new IllegalArgumentException("\"" + action + "\" is not an action of MigrationHandoff");
        };
    }

    /** Takes a named action with its parameters, as {@link #take}; returns whether it was enabled and taken. */
    @FunctionalInterface
    public interface Taker {
        boolean take(String action, int f, int p);
    }

    /**
     * Takes action number {@code choice} (modulo the number of actions) with
     * parameters drawn from {@code x} and {@code y}; returns its label if it
     * was enabled and taken, else null.
     */
    public static String step(Handoff h, int choice, int x, int y) {
        return step(h.config(), (a, f, p) -> take(h, a, f, p), choice, x, y);
    }

    /** As {@link #step(Handoff, int, int, int)}, through {@code t} (a twin that also drives a real host, say). */
    public static String step(HandoffConfig c, Taker t, int choice, int x, int y) {
        String a = ACTIONS.get(Math.floorMod(choice, ACTIONS.size()));
        // OtherTakesPage ranges over all of A's pages, the others over the guest's.
        int p = 1 + Math.floorMod(x, a.equals("OtherTakesPage") ? c.aPages() : c.gPages());
        int f = 1 + Math.floorMod(y, Math.max(1, c.maxFrames()));
        if (!t.take(a, f, p)) return null;
        List<String> args = new java.util.ArrayList<>();
        for (String n : PARAMS.get(a)) args.add(Integer.toString(n.equals("f") ? f : p));
        return args.isEmpty() ? a : a + "(" + String.join(", ", args) + ")";
    }

    /**
     * One random step: the actions in a random rotation, each with random
     * parameters, until one is enabled (a cancellation only one time in 20).  Returns its label, or null when no
     * action is enabled (the behaviour has ended).
     */
    public static String randomStep(Handoff h, SplittableRandom rnd) {
        return randomStep(h.config(), (a, f, p) -> take(h, a, f, p), rnd);
    }

    /** As {@link #randomStep(Handoff, SplittableRandom)}, through {@code t}. */
    public static String randomStep(HandoffConfig c, Taker t, SplittableRandom rnd) {
        int start = rnd.nextInt(ACTIONS.size());
        for (int i = 0; i < ACTIONS.size(); i++) {
            // Cancelling ends the migration; taken as often as any step, it would leave the late phases unexplored.
            String a = ACTIONS.get((start + i) % ACTIONS.size());
            if ((a.equals("CancelMigration") || a.equals("UnplugFails")) && rnd.nextInt(20) != 0) continue;
            for (int k = 0; k < 3; k++) {
                String s = step(c, t, start + i, rnd.nextInt(1 << 16), rnd.nextInt(1 << 16));
                if (s != null) return s;
            }
        }
        return null;
    }

    /** Runs the steps a byte string encodes, three bytes a step (action, then two parameters). */
    public static Handoff run(Handoff h, byte[] in) {
        for (int i = 0; i + 2 < in.length; i += 3) step(h, in[i] & 0xff, in[i + 1] & 0xff, in[i + 2] & 0xff);
        return h;
    }
}
