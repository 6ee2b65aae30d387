package cdna.sim;

import cdna.design.Design;
import cdna.hypervisor.GuestPhysical;

import java.util.ArrayList;
import java.util.List;

/**
 * The composed host under full virtualization: guests with unmodified drivers
 * posting guest-physical addresses (cdna.guest.FullVirtDriver), the
 * hypervisor's p2m and translation ({@link GuestPhysical}), and the device's
 * accesses.  Every access and every step is judged against
 * InterGuestIsolation, as {@link IsolationChecker} judges the host machine:
 * an access to a machine page the context's guest does not own (ACCESS), and
 * after each step the spec's invariant on DeviceReach (REACH).
 */
public final class FullVirtHost {
    private final GuestPhysical hyp;
    private final List<Violation> violations = new ArrayList<>();
    private final List<String> contexts;
    private long step;
    private String action = "Init";
    private boolean reachBad;

    public FullVirtHost(Design design, List<String> guests, int nPages, int nGuestPages, List<String> contexts,
                        List<String> ctxOwners, int ringSize) {
        this.hyp = new GuestPhysical(design, guests, nPages, nGuestPages, ctxOwners, ringSize);
        this.contexts = List.copyOf(contexts);
        checkReach();
    }

    private FullVirtHost(FullVirtHost o) {
        hyp = o.hyp.copy();
        violations.addAll(o.violations);
        contexts = o.contexts;
        step = o.step;
        action = o.action;
        reachBad = o.reachBad;
    }

    /** An independent copy (for state-graph replay). */
    public FullVirtHost copy() { return new FullVirtHost(this); }

    public GuestPhysical hypervisor() { return hyp; }
    public List<Violation> violations() { return List.copyOf(violations); }
    public boolean violated(String property) { return violations.stream().anyMatch(v -> v.property().equals(property)); }
    public int ctx(String c) { return contexts.indexOf(c); }
    public List<String> contexts() { return contexts; }

    // TLA+: AllocatePage(g, gp, p)
    public boolean allocatePage(String g, int gp, int p) { return step("AllocatePage(" + g + ", " + gp + ", " + p + ")", hyp.allocatePage(g, gp, p)); }

    // TLA+: FreePage(g, gp)
    public boolean freePage(String g, int gp) { return step("FreePage(" + g + ", " + gp + ")", hyp.freePage(g, gp)); }

    // TLA+: PostBuffer(c, gp)
    public boolean postBuffer(String c, int gp) { return step("PostBuffer(" + c + ", " + gp + ")", ctx(c) >= 0 && hyp.postBuffer(ctx(c), gp)); }

    // TLA+: CompleteBuffer(c, b)
    public boolean completeBuffer(String c, int b) { return step("CompleteBuffer(" + c + ", " + b + ")", ctx(c) >= 0 && hyp.completeBuffer(ctx(c), b)); }

    /**
     * The NIC moves data for posted buffer b of c (a device access, no spec state changes): judged
     * before it lands.  Returns false where nothing was accessed (b not posted, or an IOMMU fault).
     */
    public boolean nicDma(String c, int b) {
        int i = ctx(c);
        if (i < 0 || !hyp.posted(i).contains(b)) return false;
        int mp = hyp.access(i, b);
        if (mp == GuestPhysical.NO_PAGE) return false;
        String g = hyp.ctxOwner(i);
        if (!hyp.owner(mp).equals(g)) {
            violations.add(new Violation(Violation.INTER, Violation.Kind.ACCESS, step + 1, "NicDma(" + c + ", " + b + ")", c, g,
                    -1, mp, hyp.owner(mp), "DMA for " + g + " on " + c + " lands in machine page " + mp + ", which " + hyp.owner(mp) + " owns"));
        }
        return true;
    }

    private boolean step(String a, boolean ok) {
        if (!ok) return false;
        step++;
        action = a;
        checkReach();
        return true;
    }

    // TLA+ InterGuestIsolation on DeviceReach, reported once when it starts to fail.
    private void checkReach() {
        String bad = null;
        for (int c = 0; c < hyp.contexts() && bad == null; c++) {
            for (int p : hyp.deviceReach(c)) {
                if (!hyp.owner(p).equals(hyp.ctxOwner(c))) {
                    bad = "the device can reach machine page " + p + " (" + hyp.owner(p) + "'s) for " + hyp.ctxOwner(c) + " on " + contexts.get(c);
                    if (!reachBad) violations.add(new Violation(Violation.INTER, Violation.Kind.REACH, step, action, contexts.get(c),
                            hyp.ctxOwner(c), -1, p, hyp.owner(p), bad));
                    break;
                }
            }
        }
        reachBad = bad != null;
    }
}
