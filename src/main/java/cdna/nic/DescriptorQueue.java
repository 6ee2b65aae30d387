package cdna.nic;

import java.util.Arrays;

/**
 * One ring of one context as the NIC sees it: the slots, the guest-writable
 * doorbell, the NIC's own consumer index (nicNext) and its DMA engine.
 * Counters run modulo seqMod, as in the spec.
 */
public final class DescriptorQueue {
    final Descriptor[] ring;
    int nicNext;
    int doorbell;
    Engine engine = Engine.IDLE;

    DescriptorQueue(int ringSize, int seqMod) {
        ring = new Descriptor[ringSize];
        Arrays.fill(ring, Descriptor.empty(seqMod));
    }

    DescriptorQueue(DescriptorQueue o) {
        ring = o.ring.clone();
        nicNext = o.nicNext;
        doorbell = o.doorbell;
        engine = o.engine;
    }

    /** A copy of this ring's state (to tell later whether it changed). */
    public DescriptorQueue snapshot() { return new DescriptorQueue(this); }

    /** Whether this ring is in the same state as o: slots, consumer index, doorbell and engine. */
    public boolean sameAs(DescriptorQueue o) {
        return nicNext == o.nicNext && doorbell == o.doorbell && engine.equals(o.engine) && Arrays.equals(ring, o.ring);
    }

    public Descriptor slot(int i) { return ring[i]; }
    public int nicNext() { return nicNext; }
    public int doorbell() { return doorbell; }
    public Engine engine() { return engine; }
}
