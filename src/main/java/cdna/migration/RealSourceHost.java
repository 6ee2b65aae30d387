package cdna.migration;

import cdna.design.Design;
import cdna.hypervisor.Buffer;
import cdna.hypervisor.GuestMacs;
import cdna.hypervisor.IoBuffer;
import cdna.hypervisor.Phase;
import cdna.nic.Descriptor;
import cdna.nic.DescriptorQueue;
import cdna.nic.Dir;
import cdna.sim.Config;
import cdna.sim.HostSystem;
import cdna.sim.Violation;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Host A as the reference implementation runs it: a {@link HostSystem} (memory,
 * NIC, IOMMU, hypervisor, and the isolation checker judging every DMA access)
 * with the migrating guest M on context {@value #CM} and the other guest O,
 * malicious, on {@value #CO}.  Each public method named after a MigrationHandoff
 * action does that action's part on A through the real protection path (CDNA
 * hypercalls with pinning, or IOMMU mappings, per the design) and returns
 * whether the real host took it; {@link #otherGuestStep} is O's own activity,
 * which the spec leaves to the layer specs.
 *
 * <p>A's pages 1..aPages are the spec's APages (M's are 1..gPages); page
 * aPages + 1 is O's own from the start, so O has DMA in flight before it takes
 * anything A frees.  Every buffer is one whole page.
 */
public final class RealSourceHost {
    /** The migrating guest's direct context on A. */
    public static final String CM = "cM";
    /** The other guest's context on A. */
    public static final String CO = "cO";
    static final int PAGE_SIZE = 4;

    private final HostSystem sys;
    private final OtherGuest other;
    // IOMMU: the buffer M mapped for the DMA in flight (null: none).
    private IoBuffer mapped;
    // Pages A asked the hypervisor to free and it refused (pinned under CDNA): freed once it lets them go.
    private final TreeSet<Integer> heldBack = new TreeSet<>();
    private long freesRefused;
    private long oldContextDmaRefused;
    private long otherTookPage;
    private long unpluggedWithDmaInFlight;
    private long misdelivered;
    // image[p]: the bytes of M's page p as M last owned them (see guestPage).
    private final byte[][] image;
    private final java.util.BitSet lost = new java.util.BitSet();

    public RealSourceHost(HandoffConfig c, Design d) {
        Config cfg = new Config(List.of(Handoff.M, Handoff.O), c.aPages() + 1, PAGE_SIZE, PAGE_SIZE, List.of(CM, CO),
                List.of(Handoff.M, Handoff.O), 2, 4, true, 4);
        sys = new HostSystem(cfg, d);
        for (int p = 1; p <= c.gPages(); p++) sys.allocatePage(Handoff.M, p);
        sys.allocatePage(Handoff.O, c.aPages() + 1);
        other = new OtherGuest(sys);
        image = new byte[c.gPages() + 1][PAGE_SIZE];
    }

    public HostSystem system() { return sys; }

    private boolean cdna() { return !sys.translated(); }

    private int cm() { return sys.ctx(CM); }

    private long start(int p) { return sys.memory().pageStart(p); }

    // ------------------------------------------------------------------ the guest and its device

    /** M's MAC address: its own, the same on A and on B (the switch sends its frames to whichever host claims it). */
    public static final String MAC_M = GuestMacs.of(Handoff.M, 0);

    /**
     * LandOnA(f, p) where M's context takes no DMA: the frame for M's MAC
     * reaches A's NIC, which demultiplexes it by the contexts' receive filters.
     * The hypervisor programs those: cM's got M's address when M was given it,
     * and when A releases cM it is cleared (ClearMacOnRelease) or left there;
     * left there, once cM is O's the frame is queued for O.  A MAC no context
     * claims is dropped.  Returns whether the frame was queued on a context of O
     * (a misdelivery).
     */
    public boolean frameForM() {
        long before = queuedForO();
        // A payload of its own, so a frame M's context takes later never writes the bytes a page already holds.
        sys.receiveFrame(MAC_M, cdna.nic.Frame.pattern(sys.nic().nextFrameId(), PAGE_SIZE));
        boolean toO = queuedForO() > before;
        if (toO) misdelivered++;
        return toO;
    }

    // Frames the NIC holds for contexts O owns and drives.
    private long queuedForO() {
        long n = 0;
        for (int c = 0; c < sys.config().contexts().size(); c++) {
            if (sys.ctxOwner(c).equals(Handoff.O) && sys.phase(c) == Phase.ASSIGNED) n += sys.nic().inboundCount(c);
        }
        return n;
    }

    /**
     * GuestWrite(p) (and LandOnA over the software path, a copy by the CPU):
     * the whole page gets the write's version, so each write leaves different
     * bytes (a frame's DMA never writes four equal bytes).  Refused by a page
     * fault once M lost p.
     */
    public boolean guestWrite(int p, int version) {
        byte[] v = new byte[PAGE_SIZE];
        java.util.Arrays.fill(v, (byte) version);
        boolean ok = sys.guestWrite(Handoff.M, start(p), v);
        snapshot();
        return ok;
    }

    /**
     * M's memory on A as the guest sees it: page p's bytes now if M has owned
     * it all along, else as they were when it lost it (TLA+ memA, in bytes).
     */
    public byte[] guestPage(int p) {
        snapshot();
        return image[p].clone();
    }

    // Keeps the last bytes of each of M's pages while M owns it; a page M lost stays as it was then,
    // even if it comes back (O may hand a page to M), since A scrubs a page it frees.
    private void snapshot() {
        for (int p = 1; p < image.length; p++) {
            if (!sys.memory().owner(p).equals(Handoff.M)) lost.set(p);
            if (lost.get(p)) continue;
            for (int i = 0; i < PAGE_SIZE; i++) image[p][i] = sys.memory().read(start(p) + i);
        }
    }

    /**
     * LandOnA(f, p) into the direct context: M posts a receive buffer in page p
     * (a CDNA hypercall, or an IOMMU mapping and a ring slot of its own), rings
     * the doorbell, and the NIC starts the frame's DMA.  Returns whether the DMA is in flight.
     */
    public boolean landOnA(int p) {
        HostSystem.GuestView m = sys.as(Handoff.M);
        DescriptorQueue q = sys.nic().queue(cm(), Dir.RX);
        if (!q.engine().idle()) return false;
        if (cdna()) {
            if (!m.postDescriptor(CM, Dir.RX, new Buffer(start(p), PAGE_SIZE))) return false;
            m.ringDoorbell(CM, Dir.RX, sys.hypervisor().prod(cm(), Dir.RX));
        } else {
            IoBuffer b = new IoBuffer(p, p, 0, PAGE_SIZE);
            if (!m.mapBuffer(CM, b)) return false;
            mapped = b;
            m.writeDescriptor(CM, Dir.RX, q.doorbell() % sys.config().ringSize(), new Descriptor(b.segments(PAGE_SIZE), 0));
            m.ringDoorbell(CM, Dir.RX, q.doorbell() + 1);
        }
        return sys.nicFetch(CM, Dir.RX);
    }

    /**
     * DeviceWrite: the context's DMA in flight moves its frame into memory,
     * judged byte by byte by the isolation checker; then, if M still drives the
     * context, its driver takes the completion (reaps it, or unmaps the buffer).
     * Returns whether the device moved anything (an access the IOMMU refused counts: the descriptor aborts).
     */
    public boolean deviceWrite() {
        long faults = sys.nic().faults();
        boolean moved = false;
        while (sys.nicDma(CM, Dir.RX)) moved = true;
        snapshot();
        if (sys.nic().faults() > faults) oldContextDmaRefused++;
        if (moved && sys.phase(cm()) == Phase.ASSIGNED && sys.ctxOwner(cm()).equals(Handoff.M)) {
            if (cdna()) {
                sys.reapCompletions(CM, Dir.RX);
            } else if (mapped != null) {
                sys.as(Handoff.M).unmapBuffer(CM, mapped);
                mapped = null;
            }
        }
        return moved;
    }

    // ------------------------------------------------------------------ the migration on A

    /** UnplugDone: M detaches the context; A stops it (no new work, M loses its registers), DMA in flight goes on. */
    public boolean unplugDone() {
        boolean inFlight = !sys.nic().queue(cm(), Dir.RX).engine().idle();
        boolean ok = sys.stopContext(CM);
        if (ok && inFlight) unpluggedWithDmaInFlight++;
        return ok;
    }

    /** QuiesceContext: a reset (the DMA in flight is dropped, and its pins) and the context's mappings flushed. */
    public boolean quiesceContext() {
        boolean ok = sys.quiesceContext(CM) && sys.unmapContext(CM);
        mapped = null;
        freeHeldBack();
        return ok;
    }

    /**
     * ReleasePages: A asks the hypervisor to free every page M owns.  Under CDNA
     * a page with a descriptor outstanding is pinned and the free is refused
     * (A frees it once the pin is gone); under an IOMMU the free unmaps the page
     * first.  Returns whether any page was freed.
     */
    public boolean releasePages() {
        snapshot();
        boolean any = false;
        for (int p : sys.memory().pagesOwnedBy(Handoff.M)) {
            if (sys.freePage(Handoff.M, p)) {
                any = true;
            } else {
                heldBack.add(p);
                freesRefused++;
            }
        }
        snapshot();
        return any;
    }

    /** ReleaseContext: the context's outstanding descriptors count as done and their pins go; the context is free. */
    public boolean releaseContext() {
        boolean ok = sys.unpinContext(CM);
        freeHeldBack();
        return ok;
    }

    /** AssignToOther: the freed context goes to O, which drives it from now on. */
    public boolean assignToOther() { return sys.assignContext(CM, Handoff.O); }

    /** OtherTakesPage(p): O allocates the page and at once puts a receive buffer of its own in it, with DMA in flight. */
    public boolean otherTakesPage(int p) {
        if (!sys.allocatePage(Handoff.O, p)) return false;
        otherTookPage++;
        other.post(CO, p);
        sys.nicFetch(CO, Dir.RX);
        return true;
    }

    private void freeHeldBack() {
        snapshot();
        heldBack.removeIf(p -> !sys.memory().owner(p).equals(Handoff.M) || sys.freePage(Handoff.M, p));
        snapshot();
    }

    // ------------------------------------------------------------------ the other guest

    /**
     * One step of O, which keeps DMA in flight on every context it owns: often
     * a buffer in one of its pages, a doorbell and the NIC's fetch and DMA, and
     * one time in four anything at all ({@link OtherGuest}).  Not a spec
     * action: the layer specs cover what O does on its own.  Returns a label.
     */
    public String otherGuestStep(SplittableRandom rnd) {
        String label = other.step(rnd);
        snapshot();
        return label;
    }

    // ------------------------------------------------------------------ what the real host did

    /**
     * NoDmaAfterRelease on A, as the implementation shows it: the violations of
     * InterGuestIsolation by M's old context while M still owned it (after
     * AssignToOther the context is O's, and what it does is O's).  ACCESS ones
     * are DMA writes that landed in a page M no longer owned.
     */
    public List<Violation> oldContextViolations() {
        long seen = 0;
        for (long n : sys.checker().counts().values()) seen += n;
        // Fail closed: the checker keeps the first violations only, and M's could be among those it dropped.
        if (seen > sys.checker().violations().size()) {
            throw new IllegalStateException("A's isolation checker saw " + seen + " violations and kept " + sys.checker().violations().size()
                    + ": which were M's old context's cannot be told");
        }
        List<Violation> r = new ArrayList<>();
        for (Violation v : sys.checker().violations()) {
            if (v.property().equals(Violation.INTER) && CM.equals(v.context()) && Handoff.M.equals(v.guest())) r.add(v);
        }
        return r;
    }

    /** Every violation the isolation checker saw on A, by anyone. */
    public List<Violation> violations() { return sys.checker().violations(); }

    /** Frees of M's pages the hypervisor refused (a descriptor outstanding pinned the page). */
    public long freesRefused() { return freesRefused; }

    /** DMA of M's old context that the IOMMU refused (the page's mapping was gone). */
    public long oldContextDmaRefused() { return oldContextDmaRefused; }

    /** Pages O took from what A freed. */
    public long otherTookPage() { return otherTookPage; }

    /** Frames for M's MAC that A's NIC queued for O: NoMisdelivery on A, as the implementation shows it. */
    public long misdelivered() { return misdelivered; }

    /** Unplugs while the context's DMA was in flight. */
    public long unpluggedWithDmaInFlight() { return unpluggedWithDmaInFlight; }

    /** DMA accesses the isolation checker judged. */
    public long accesses() { return sys.checker().accesses(); }

    /** The owner of page p on the real host A (the twin may already have given the page away). */
    public String owner(int p) { return sys.memory().owner(p); }

    /** The pages M still owns on the real host. */
    public List<Integer> pagesOfM() { return sys.memory().pagesOwnedBy(Handoff.M); }
}
