package cdna.nic;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.List;

/**
 * The multi-context NIC.  Each context has a TX and an RX ring, each with a
 * doorbell the guest writes directly, and its own DMA engine.  Received frames
 * are demultiplexed to a context by destination MAC.  A completion records an
 * event for its context; raising it (TLA+: NicRaise, driven from HostSystem)
 * sets the context's bit in the vector in hypervisor memory and the one
 * physical interrupt.
 *
 * <p>Each context's receive filter lists the MAC addresses it takes frames
 * for.  It is empty at power-on and programmed by the hypervisor only, as a
 * PF driver programs a VF's filter (guests have no register for it): the
 * owner's address when it assigns the context, and cleared when it releases
 * the context, or left there, as the design says.
 *
 * <p>The NIC trusts nothing it reads from a ring beyond the sequence tag (when
 * sequence checking is on): a malformed slot is skipped, and an access the
 * {@link DmaPort} refuses aborts the descriptor.
 */
public final class Nic {
    /** Largest frame the hardware's length fields can describe. */
    public static final long MAX_FRAME = 65535;

    private final List<String> names;
    // filters[c]: the MAC addresses context c takes frames for, the last programmed last; each list
    // immutable, so copies of this NIC share them.
    private final List<String>[] filters;
    private final DescriptorQueue[][] queues;
    private final ArrayDeque<Frame>[] inbound;
    // Copy on write: inbound[c] may be shared with copies of this NIC (the checker copies the whole system while an
    // interrupt is owed, and a FIFO holds up to RX_FIFO frames) until one of them changes it.
    private final boolean[] inboundOwned;
    private final int ringSize;
    private final int seqMod;
    private final boolean checkSequence;
    // Contexts with an event (a completion, a skipped or aborted descriptor) the NIC has not raised yet.
    private BitSet interruptVector = new BitSet();
    private long dropped;
    private long faults;
    private long malformed;
    private long transmitted;
    private long received;
    private Frame lastTransmitted;
    // When set, the wire always has a frame waiting for every context (a saturating sender),
    // so an RX fetch is never held up by the network, as in the spec where NicFetch needs no frame.
    private int[] alwaysWaiting;
    private long nextFrameId = 1;
    // Faults planted in this code by tests (never in a real run).
    private java.util.Set<cdna.design.Mutant> mutants = java.util.EnumSet.noneOf(cdna.design.Mutant.class);

    @SuppressWarnings("unchecked")
    public Nic(List<String> contextNames, int ringSize, int seqMod, boolean checkSequence) {
        if (ringSize < 1 || seqMod < 2 * ringSize || seqMod % ringSize != 0) {
            throw new IllegalArgumentException("need SeqMod % RingSize = 0 and SeqMod >= 2 * RingSize");
        }
        this.names = List.copyOf(contextNames);
        this.ringSize = ringSize;
        this.seqMod = seqMod;
        this.checkSequence = checkSequence;
        int n = names.size();
        filters = new List[n];
        queues = new DescriptorQueue[n][2];
        inbound = new ArrayDeque[n];
        inboundOwned = new boolean[n];
        java.util.Arrays.fill(inboundOwned, true);
        for (int c = 0; c < n; c++) {
            filters[c] = List.of();
            queues[c][0] = new DescriptorQueue(ringSize, seqMod);
            queues[c][1] = new DescriptorQueue(ringSize, seqMod);
            inbound[c] = new ArrayDeque<>();
        }
    }

    private Nic(Nic o) { this(o, -1, null); }

    /**
     * A copy; with {@code probeCtx} >= 0, one for running only that context's ring {@code probeDir}
     * (see {@link #probeCopy}): that queue copied and without waiting frames, the other queues
     * and FIFOs shared with o, which steps of that ring never touch.
     */
    @SuppressWarnings("unchecked")
    private Nic(Nic o, int probeCtx, Dir probeDir) {
        names = o.names;
        filters = o.filters.clone();
        ringSize = o.ringSize;
        seqMod = o.seqMod;
        checkSequence = o.checkSequence;
        int n = names.size();
        queues = new DescriptorQueue[n][];
        inbound = new ArrayDeque[n];
        inboundOwned = new boolean[n];
        if (probeCtx < 0) {
            for (int c = 0; c < n; c++) {
                queues[c] = new DescriptorQueue[] {new DescriptorQueue(o.queues[c][0]), new DescriptorQueue(o.queues[c][1])};
                inbound[c] = o.inbound[c];
                o.inboundOwned[c] = false; // both copy before they next change it
            }
        } else {
            // the checker builds one of these per context and checked state: share all but the probed ring
            System.arraycopy(o.queues, 0, queues, 0, n);
            System.arraycopy(o.inbound, 0, inbound, 0, n);
            queues[probeCtx] = o.queues[probeCtx].clone();
            queues[probeCtx][probeDir.ordinal()] = new DescriptorQueue(o.queues[probeCtx][probeDir.ordinal()]);
            inbound[probeCtx] = new ArrayDeque<>();
            inboundOwned[probeCtx] = true;
        }
        interruptVector = (BitSet) o.interruptVector.clone();
        dropped = o.dropped;
        faults = o.faults;
        malformed = o.malformed;
        transmitted = o.transmitted;
        received = o.received;
        lastTransmitted = o.lastTransmitted;
        alwaysWaiting = o.alwaysWaiting;
        nextFrameId = o.nextFrameId;
        mutants = o.mutants;
    }

    /** Plants the given faults in the NIC's code (tests only; see {@link cdna.design.Mutant}). */
    public void setMutants(java.util.Set<cdna.design.Mutant> m) {
        mutants = m.isEmpty() ? java.util.EnumSet.noneOf(cdna.design.Mutant.class) : java.util.EnumSet.copyOf(m);
    }

    public Nic copy() { return new Nic(this); }

    /** Context c's FIFO, copied first if it is shared with a copy of this NIC. */
    private ArrayDeque<Frame> writableInbound(int c) {
        if (!inboundOwned[c]) {
            inbound[c] = new ArrayDeque<>(inbound[c]);
            inboundOwned[c] = true;
        }
        return inbound[c];
    }

    /**
     * A copy for asking what the device can do on ring d of context c (the checker's reach probe):
     * only that ring may be stepped on it.  It has no frames waiting on the wire: the probe has
     * frames always waiting, each as long as the buffer it lands in, so what it reaches is every
     * posted byte, as the spec's DeviceReach has it, whatever frames happen to be queued (which
     * would only end some descriptors early).
     */
    public Nic probeCopy(int c, Dir d) { return new Nic(this, c, d); }

    public int contexts() { return names.size(); }
    /** The address last programmed into c's receive filter (its owner's), or null when the filter is clear. */
    public String mac(int c) { return filters[c].isEmpty() ? null : filters[c].get(filters[c].size() - 1); }

    /** Every address c's receive filter takes frames for, in the order they were programmed. */
    public List<String> macs(int c) { return filters[c]; }

    /** The hypervisor programs c's receive filter to take frames for mac too (a PF driver's VF MAC filter). */
    public void addMac(int c, String mac) {
        if (mac == null || filters[c].stream().anyMatch(mac::equalsIgnoreCase)) return;
        java.util.ArrayList<String> f = new java.util.ArrayList<>(filters[c]);
        f.add(mac);
        filters[c] = List.copyOf(f);
    }

    /** The hypervisor clears c's receive filter: c takes frames for no address. */
    public void clearMacs(int c) { filters[c] = List.of(); }
    public int ringSize() { return ringSize; }
    public int seqMod() { return seqMod; }
    public DescriptorQueue queue(int c, Dir d) { return queues[c][d.ordinal()]; }
    public int inboundCount(int c) { return inbound[c].size(); }
    public long dropped() { return dropped; }
    public long faults() { return faults; }
    public long malformed() { return malformed; }
    public long transmitted() { return transmitted; }
    /** Frames written completely into guest buffers. */
    public long received() { return received; }
    public Frame lastTransmitted() { return lastTransmitted; }

    /** Slot i of a ring is written by whoever the protection scheme lets write it (hypervisor or guest). */
    public void writeSlot(int c, Dir d, int i, Descriptor desc) {
        queue(c, d).ring[i] = desc;
    }

    /** TLA+: RingDoorbell(c, v).  The register is log2(SeqMod) bits wide, so any value is taken modulo SeqMod. */
    public void ringDoorbell(int c, Dir d, long v) {
        queue(c, d).doorbell = (int) Math.floorMod(v, (long) seqMod);
    }

    /**
     * Makes the wire saturate every context: an RX fetch that finds no frame
     * waiting gets a fresh one as long as the buffer, whose
     * bytes are labelled {@code provenanceByCtx[c]}.
     */
    public void setFramesAlwaysWaiting(int[] provenanceByCtx) {
        alwaysWaiting = provenanceByCtx == null ? null : provenanceByCtx.clone();
    }

    public long nextFrameId() { return nextFrameId++; }

    /** The saturating sender now sends c's frames for another guest (the context changed hands). */
    public void setProvenance(int c, int provenance) {
        if (alwaysWaiting != null) {
            alwaysWaiting = alwaysWaiting.clone();
            alwaysWaiting[c] = provenance;
        }
    }

    /** A disabled context accepts no frames: those queued for it are dropped. */
    public void dropInbound(int c) {
        dropped += inbound[c].size();
        inbound[c] = new ArrayDeque<>();
        inboundOwned[c] = true;
    }

    /**
     * A function-level reset of context c: both rings emptied, both engines
     * idle (DMA in flight is abandoned), pending events and queued frames gone,
     * and each ring restarted at {@code next[d.ordinal()]}: the NIC's consumer index and
     * the doorbell both point there, so nothing is pending.
     */
    public void resetContext(int c, int[] next) {
        for (Dir d : Dir.values()) {
            DescriptorQueue q = queue(c, d);
            java.util.Arrays.fill(q.ring, Descriptor.empty(seqMod));
            if (!mutants.contains(cdna.design.Mutant.RESET_KEEPS_ENGINE)) q.engine = Engine.IDLE;
            q.nicNext = Math.floorMod(next[d.ordinal()], seqMod);
            q.doorbell = q.nicNext;
        }
        interruptVector.clear(c);
        dropInbound(c);
    }

    /**
     * Receive demultiplexing: the first context whose filter lists dstMac, or -1: a MAC no context
     * claims is dropped.
     */
    public int demux(String dstMac) {
        if (dstMac == null) return -1;
        for (int c = 0; c < filters.length; c++) {
            for (String m : filters[c]) if (m.equalsIgnoreCase(dstMac)) return c;
        }
        return -1;
    }

    /**
     * Frames a context's receive FIFO holds before the NIC drops arrivals, as a real NIC's on-chip
     * buffer does; it also bounds what each copy of the NIC (the checker's probes) has to copy.
     */
    public static final int RX_FIFO = 64;

    /** A frame arrives from the wire; returns the context it was queued on, or -1 if dropped (no such MAC, or the FIFO is full). */
    public int receive(Frame f) {
        int c = demux(f.dstMac());
        if (c < 0 || inbound[c].size() >= RX_FIFO) {
            dropped++;
            return -1;
        }
        writableInbound(c).add(f);
        return c;
    }

    private int succ(int s) { return (s + 1) % seqMod; }

    /**
     * A slot the hardware refuses to start: a length it cannot describe, a
     * segment that is empty or negative, or one that runs off the end of the
     * address space.
     */
    private static boolean malformed(Descriptor d) {
        long n = d.len();
        if (n <= 0 || n > MAX_FRAME) return true;
        for (Segment s : d.segments()) if (s.addr() > Long.MAX_VALUE - s.len()) return true;
        return false;
    }

    /**
     * TLA+: NicFetch(c).  The NIC reads the slot it expects next; with sequence
     * checking it takes it only if the tag matches.  Returns false if the step
     * is not enabled (and then nothing changed).
     */
    public boolean nicFetch(int c, Dir d) {
        DescriptorQueue q = queue(c, d);
        if (!q.engine.idle()) return false;
        if (q.doorbell == q.nicNext) return false;
        Descriptor slot = q.ring[q.nicNext % ringSize];
        if (checkSequence && slot.seq() != q.nicNext) return false;
        if (slot.isEmpty()) {
            q.nicNext = succ(q.nicNext);
            return true;
        }
        if (malformed(slot)) {
            malformed++;
            q.nicNext = succ(q.nicNext);
            interruptVector.set(c);
            return true;
        }
        Frame f = null;
        if (d == Dir.RX) {
            f = inbound[c].isEmpty() ? null : writableInbound(c).poll();
            if (f == null && alwaysWaiting != null) {
                long id = nextFrameId++;
                f = new Frame(id, mac(c) == null ? "" : mac(c), Frame.pattern(id, (int) Math.min(slot.len(), MAX_FRAME)), alwaysWaiting[c]);
            }
            if (f == null) return false;
        }
        q.engine = new Engine(slot, 0, f);
        return true;
    }

    /** TLA+: NextSegment(c): the bytes the engine moves next, up to the end of the current page and segment. */
    public static Segment nextSegment(Engine e, int pageSize) {
        long skip = e.moved();
        for (Segment s : e.desc().segments()) {
            if (skip < s.len()) {
                long start = s.addr() + skip;
                // Distances, not end addresses, so nothing overflows near the top of the address space.
                long toPageEnd = pageSize - Math.floorMod(start, (long) pageSize);
                return new Segment(start, Math.min(toPageEnd, s.len() - skip));
            }
            skip -= s.len();
        }
        throw new IllegalStateException("engine has nothing left to move");
    }

    /**
     * TLA+: NicDma(c).  Moves one page segment through the port; after the last
     * one the descriptor completes, nicNext advances and the context's
     * interrupt bit is set.  A refused access aborts the descriptor the same way
     * (real NICs report it in the completion status).
     */
    public boolean nicDma(int c, Dir d, int pageSize, DmaPort port) {
        DescriptorQueue q = queue(c, d);
        Engine e = q.engine;
        if (e.idle()) return false;
        Segment seg = nextSegment(e, pageSize);
        if (mutants.contains(cdna.design.Mutant.DMA_ONE_BYTE_PAST_BUFFER) && e.moved() + seg.len() == e.desc().len()
                && Math.floorMod(seg.addr() + seg.len(), (long) pageSize) != 0) {
            seg = new Segment(seg.addr(), seg.len() + 1);
        }
        byte[] data = new byte[(int) seg.len()];
        int provenance = 0;
        if (d == Dir.RX) {
            byte[] p = e.frame().payload();
            for (int i = 0; i < data.length; i++) {
                long at = e.moved() + i;
                data[i] = at < p.length ? p[(int) at] : 0;
            }
            provenance = e.frame().provenance();
        }
        if (!port.dma(c, d, seg.addr(), data, provenance)) {
            faults++;
            finish(c, q);
            return true;
        }
        Frame progress = e.frame();
        if (d == Dir.TX) {
            byte[] old = progress == null ? new byte[0] : progress.payload();
            byte[] now = java.util.Arrays.copyOf(old, old.length + data.length);
            System.arraycopy(data, 0, now, old.length, data.length);
            progress = new Frame(0, "", now, 0);
        }
        long moved = e.moved() + seg.len();
        if (moved >= e.desc().len()) {
            if (d == Dir.TX) {
                transmitted++;
                lastTransmitted = progress;
            } else {
                received++;
            }
            finish(c, q);
        } else {
            q.engine = new Engine(e.desc(), moved, progress);
        }
        return true;
    }

    private void finish(int c, DescriptorQueue q) {
        q.engine = Engine.IDLE;
        q.nicNext = succ(q.nicNext);
        interruptVector.set(c);
    }

    /** Contexts with an event the NIC has not raised yet. */
    public BitSet interruptVector() { return (BitSet) interruptVector.clone(); }

    public boolean hasEvent(int c) { return interruptVector.get(c); }

    /** The NIC has reported c's events (raised them, or they were settled or reset away). */
    public void clearEvents(int c) { interruptVector.clear(c); }

    /** The NIC writes its vector to hypervisor memory and clears it; the caller then raises one physical interrupt. */
    public BitSet takeInterruptVector() {
        BitSet v = interruptVector;
        interruptVector = new BitSet();
        return v;
    }

}
