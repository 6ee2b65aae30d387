package cdna.migration;

import cdna.design.Design;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The migration run over the reference implementation on host A: every spec
 * action is taken on the twin ({@link Handoff}, whose state is the spec's and
 * which TLC's counterexamples replay on), and where the twin takes it, its part
 * on A is done on a real {@link RealSourceHost} too: the guest's and the
 * device's writes, the unplug, the reset and flush, the release of pages and
 * context, and the other guest taking them; and each page copy stores A's
 * real bytes on a real {@link RealDestinationHost}.  Between those steps the other,
 * malicious, guest keeps DMA in flight on A.
 *
 * <p>The twin and the real host can part: the real hypervisor refuses to free
 * a page a descriptor has pinned, and unmaps a page before freeing it, where
 * the spec's release takes the page whatever the context may still do.  Each
 * such step is recorded in {@link #divergences()}.  The migration's properties
 * are judged on the twin ({@link HandoffChecker}), and on A where the real host
 * shows them: NoDmaAfterRelease by the isolation checker
 * ({@link RealSourceHost#oldContextViolations}), and NoMisdelivery by where A's
 * NIC queues a late frame for M's MAC ({@link RealSourceHost#misdelivered}).
 * The NIC's receive filters are the hypervisor's to program, as the spec's
 * filterTo: the owner's address at assignment, cleared at release when the
 * design says ClearMacOnRelease; left in place, the other guest gets M's frames
 * on A, as the spec says it does.
 */
public final class HostedHandoff {
    private final Handoff twin;
    private final RealSourceHost a;
    private final RealDestinationHost b;
    private final List<String> divergences = new ArrayList<>();

    public HostedHandoff(HandoffConfig c, Design d) {
        twin = new Handoff(c, d);
        a = new RealSourceHost(c, d);
        b = new RealDestinationHost(c, d);
    }

    public Handoff twin() { return twin; }
    public RealSourceHost hostA() { return a; }
    public RealDestinationHost hostB() { return b; }

    /** Steps the twin took that the real host A refused or did only in part, with why. */
    public List<String> divergences() { return List.copyOf(divergences); }

    /**
     * Takes a spec action with its parameters on the twin, and its part on A
     * where it has one.  Returns whether the twin took it.
     */
    public boolean take(String action, int f, int p) {
        int pending = twin.a.pending;
        int writes = twin.a.writes;
        if (!HandoffDriver.take(twin, action, f, p)) return false;
        switch (action) {
            case "GuestWrite" -> real(action + "(" + p + ")", a.guestWrite(p, twin.a.writes), "M's page " + p + " is no longer M's on A");
            case "CopyPage" -> real(action + "(" + p + ")", b.copyPage(p, a.guestPage(p)), "B refused the guest's page " + p);
            case "LandOnA", "Flood" -> {
                if (pending == 0 && twin.a.pending == p) {
                    real(action + "(" + f + ", " + p + ")", a.landOnA(p), "the real host did not start the frame's DMA");
                } else if (twin.a.writes > writes) {
                    real(action + "(" + f + ", " + p + ")", a.guestWrite(p, twin.a.writes), "M's page " + p + " is no longer M's on A");
                } else {
                    // The frame reaches A's NIC, which hands it to whichever context's filter claims M's MAC (judged by
                    // HandoffChecker as NoMisdelivery on A); the twin hands it to O where the spec's filterTo is O.
                    boolean real = a.frameForM(), spec = twin.net.delivered.get(f - 1).contains(Handoff.O);
                    if (real != spec) {
                        divergences.add(action + "(" + f + ", " + p + "): " + (real
                                ? "the real NIC queued the frame for M's MAC on a context of O, where the spec hands it to nobody"
                                : "the spec hands the frame to O, the real NIC did not (no context of O claims M's MAC)"));
                    }
                }
            }
            case "DeviceWrite" -> real(action, a.deviceWrite(), "no DMA of the context was in flight on A");
            case "UnplugDone" -> real(action, a.unplugDone(), "the real hypervisor did not stop the context");
            case "QuiesceContext" -> real(action, a.quiesceContext(), "the real hypervisor did not reset and unmap the context");
            case "ReleasePages" -> {
                long refused = a.freesRefused();
                a.releasePages();
                if (a.freesRefused() > refused) {
                    divergences.add(action + ": the real hypervisor kept " + (a.freesRefused() - refused)
                            + " page(s) of M: a descriptor in flight pins them (freed after the reset)");
                }
            }
            case "ReleaseContext" -> real(action, a.releaseContext(), "the real hypervisor did not free the context");
            case "AssignToOther" -> real(action, a.assignToOther(), "the real hypervisor did not give the context to O");
            // O may have taken the page already on its own (MaliciousGuest allocates too): only a page kept from it is a divergence.
            case "OtherTakesPage" -> real(action + "(" + p + ")", a.otherTakesPage(p) || a.owner(p).equals(Handoff.O),
                    "page " + p + " is not free on A (owner " + a.owner(p) + ")");
            default -> { }
        }
        return true;
    }

    private void real(String step, boolean took, String why) {
        if (!took) divergences.add(step + ": " + why);
    }

    /** Spec action number {@code choice} with parameters from x and y, as {@link HandoffDriver#step}; its label, or null if not enabled. */
    public String step(int choice, int x, int y) { return HandoffDriver.step(twin.config(), this::take, choice, x, y); }

    /**
     * One random step: one time in {@code otherEvery} a step of the other guest
     * on A, otherwise a random spec action ({@link HandoffDriver#randomStep}).
     * Returns its label, or null when no spec action is enabled any more.
     */
    public String randomStep(SplittableRandom rnd, int otherEvery) {
        if (rnd.nextInt(otherEvery) == 0) return a.otherGuestStep(rnd);
        return HandoffDriver.randomStep(twin.config(), this::take, rnd);
    }
}
