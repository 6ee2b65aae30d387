package cdna.migration;

import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The migration's safety properties, by the names the spec, the manifest and
 * the report use, evaluated on the Java twin's state: each returns null when
 * the property holds, else why it fails.  MigrationCompletes, the liveness
 * property, is {@link #completes}.
 */
public final class HandoffChecker {
    private HandoffChecker() {}

    public static final String NO_LOST_WRITE = "NoLostWrite";
    public static final String NO_DOUBLE_RUN = "NoDoubleRun";
    public static final String NO_DMA_AFTER_RELEASE = "NoDmaAfterRelease";
    public static final String NO_MISDELIVERY = "NoMisdelivery";
    public static final String AT_MOST_ONCE_DELIVERY = "AtMostOnceDelivery";
    public static final String CANCEL_SAFE = "CancelSafe";
    public static final String DEVICE_STATE_ONCE = "DeviceStateOnce";
    public static final String MIGRATION_COMPLETES = "MigrationCompletes";

    /** The safety properties, in the order the spec states them. */
    public static final Set<String> SAFETY = Set.of(NO_LOST_WRITE, NO_DOUBLE_RUN, NO_DMA_AFTER_RELEASE, NO_MISDELIVERY,
            AT_MOST_ONCE_DELIVERY, CANCEL_SAFE, DEVICE_STATE_ONCE);

    /** Every safety property that fails in h's state, with why. */
    public static Map<String, String> violations(Handoff h) {
        Map<String, String> r = new LinkedHashMap<>();
        put(r, NO_LOST_WRITE, noLostWrite(h));
        put(r, NO_DOUBLE_RUN, noDoubleRun(h));
        put(r, NO_DMA_AFTER_RELEASE, noDmaAfterRelease(h));
        put(r, NO_MISDELIVERY, noMisdelivery(h));
        put(r, AT_MOST_ONCE_DELIVERY, atMostOnceDelivery(h));
        put(r, CANCEL_SAFE, cancelSafe(h));
        put(r, DEVICE_STATE_ONCE, deviceStateOnce(h));
        return r;
    }

    /** NoLostWrite in real bytes: once the guest runs on B, B's memory holds A's bytes of every guest page. */
    static String noLostWriteInBytes(HostedHandoff h) {
        if (h.twin().b.vm != DestinationHost.Vm.RUNNING) return null;
        for (int p = 1; p <= h.twin().config().gPages(); p++) {
            byte[] onA = h.hostA().guestPage(p), onB = h.hostB().page(p);
            if (!java.util.Arrays.equals(onA, onB)) {
                return "the guest runs on B, but B's page " + p + " holds " + java.util.Arrays.toString(onB) + " and A's "
                        + java.util.Arrays.toString(onA);
            }
        }
        return null;
    }

    /**
     * The safety properties over a run whose host A is the reference
     * implementation: NoLostWrite in the real bytes of A's and B's memory,
     * NoDmaAfterRelease as A's isolation checker sees it
     * (InterGuestIsolation broken by the guest's old context while the guest
     * owns it, which is how the spec defines it), NoMisdelivery as A's NIC
     * shows it (a frame for the guest's MAC queued on a context of the other
     * guest, {@link RealSourceHost#misdelivered}), the other migration
     * properties on the twin, and every property of the layers that A's
     * checker saw broken, by anyone, under its own name.
     */
    public static Map<String, String> violations(HostedHandoff h) {
        Map<String, String> r = violations(h.twin());
        r.remove(NO_LOST_WRITE);
        String lost = noLostWriteInBytes(h);
        r.remove(NO_DMA_AFTER_RELEASE);
        if (lost != null) r.put(NO_LOST_WRITE, lost);
        var old = h.hostA().oldContextViolations();
        if (!old.isEmpty()) r.put(NO_DMA_AFTER_RELEASE, old.get(0).toString());
        r.remove(NO_MISDELIVERY);
        long misdelivered = h.hostA().misdelivered();
        if (misdelivered > 0) {
            r.put(NO_MISDELIVERY, "A's NIC queued " + misdelivered + " frame(s) for the guest's MAC " + RealSourceHost.MAC_M
                    + " on a context of the other guest");
        }
        for (var v : h.hostA().violations()) r.putIfAbsent(v.property(), v.toString());
        return r;
    }

    private static void put(Map<String, String> r, String p, String why) { if (why != null) r.put(p, why); }

    static String noLostWrite(Handoff h) {
        if (h.b.vm != DestinationHost.Vm.RUNNING) return null;
        for (int p = 1; p <= h.config().gPages(); p++) {
            if (h.b.mem[p] != h.a.mem[p]) {
                return "the guest runs on B, but B's copy of page " + p + " is version " + h.b.mem[p] + " and A's is " + h.a.mem[p];
            }
        }
        return null;
    }

    static String noDoubleRun(Handoff h) {
        return h.a.vm == SourceHost.Vm.RUNNING && h.b.vm == DestinationHost.Vm.RUNNING ? "the guest runs on A and on B" : null;
    }

    static String noDmaAfterRelease(Handoff h) {
        BitSet reach = h.a.reach();
        for (int p = reach.nextSetBit(0); p >= 0; p = reach.nextSetBit(p + 1)) {
            if (!h.a.owner[p].equals(Handoff.M)) {
                return "the guest's context on A can still DMA into page " + p + ", owned by " + h.a.owner[p];
            }
        }
        return h.a.strayDmaWrites > 0 ? "the guest's context wrote a page of A the guest no longer owns" : null;
    }

    static String noMisdelivery(Handoff h) {
        for (int f = 1; f <= h.config().maxFrames(); f++) {
            if (h.net.delivered.get(f - 1).contains("O")) return "frame " + f + " for the guest's MAC was delivered to the other guest";
        }
        return null;
    }

    static String atMostOnceDelivery(Handoff h) {
        for (int f = 1; f <= h.config().maxFrames(); f++) {
            TreeSet<String> d = new TreeSet<>(h.net.delivered.get(f - 1));
            d.remove("O");
            if (d.size() > 1) return "frame " + f + " was delivered to the guest on both hosts";
        }
        return null;
    }

    static String cancelSafe(Handoff h) {
        if (!h.cancelled) return null;
        if (h.a.vm != SourceHost.Vm.RUNNING || h.b.vm != DestinationHost.Vm.NONE) return "the migration was cancelled, but the guest is not running on A alone";
        boolean path = h.a.path == SourceHost.Path.SOFTWARE || (h.a.path == SourceHost.Path.DIRECT && h.a.ctx == SourceHost.Ctx.ASSIGNED);
        return path ? null : "the migration was cancelled and the guest runs on A with no path for its frames (path " + h.a.path + ", context " + h.a.ctx + ")";
    }

    static String deviceStateOnce(Handoff h) {
        if (h.b.devCopies > 1) return "the device and ring state was copied " + h.b.devCopies + " times";
        if (h.b.vm != DestinationHost.Vm.NONE && h.b.devCopies != 1) return "B resumed without the device and ring state";
        return null;
    }

    /**
     * MigrationCompletes from h's state: runs only the migration's own steps, in
     * the order of the spec's Fairness (each weakly fair one taken whenever
     * enabled), on a copy, and says whether the guest ends up running on B with
     * A's pages released.  Null when it does, else where it got stuck.
     */
    public static String completes(Handoff h) {
        Handoff x = h.copy();
        for (int i = 0; i < 1000; i++) {
            if (x.b.vm == DestinationHost.Vm.RUNNING && released(x)) return null;
            boolean moved = x.startMigration() || x.failover() || x.requestUnplug() || x.unplugDone() || x.quiesceContext()
                    || copyAny(x) || x.stop() || x.stopCopyDone() || x.resume() || x.attachDirectB() || x.runOnB() || x.releasePages();
            if (!moved) {
                return "stuck with the guest " + x.a.vm + " on A and " + x.b.vm + " on B (context " + x.a.ctx + ", unplug " + x.a.unplug
                        + (x.cancelled ? ", cancelled" : "") + "): no step of the migration is enabled";
            }
        }
        return "no end after 1000 steps of the migration";
    }

    private static boolean copyAny(Handoff x) {
        for (int p = 1; p <= x.config().gPages(); p++) if (x.copyPage(p)) return true;
        return false;
    }

    private static boolean released(Handoff x) {
        for (int p = 1; p <= x.config().gPages(); p++) if (x.a.owner[p].equals(Handoff.M)) return false;
        return true;
    }
}
