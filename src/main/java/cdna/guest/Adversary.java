package cdna.guest;

import cdna.memory.HostMemory;
import cdna.nic.Dir;
import cdna.sim.Action;
import cdna.sim.ActionGenerator;
import cdna.sim.HostSystem;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Everyone who can take a step: guests (each step honest or malicious, at a
 * given rate), the NIC, the hypervisor (lazy reaping, page reallocation,
 * interrupt delivery, the flush timer) and the network.
 */
public final class Adversary implements ActionGenerator {
    private final int maliciousPercent;
    private final boolean split;

    public Adversary(int maliciousPercent) { this(maliciousPercent, false); }

    private Adversary(int maliciousPercent, boolean split) {
        this.maliciousPercent = maliciousPercent;
        this.split = split;
    }

    /**
     * Odd-numbered guests (g1, g3, ...) are always malicious, the others always
     * honest: honest guests then keep real traffic flowing, which a guest that
     * is malicious half the time mostly breaks for itself.
     */
    public static Adversary split() { return new Adversary(0, true); }

    /** Guests are honest half the time: enough honest traffic to build up state for the malicious half to abuse. */
    public static Adversary mixed() { return new Adversary(50); }

    @Override
    public Action next(HostSystem s, SplittableRandom rnd) {
        List<String> ctxs = s.config().contexts();
        String c = ctxs.get(rnd.nextInt(ctxs.size()));
        Dir d = rnd.nextInt(4) == 0 ? Dir.TX : Dir.RX;
        int r = rnd.nextInt(100);
        if (r < 30) return rnd.nextBoolean() ? new Action.NicFetch(c, d) : new Action.NicDma(c, d);
        if (r < 36) return new Action.ReapCompletions(c, d);
        if (r < 38) return new Action.DeliverInterrupts();
        if (r < 41) return rnd.nextBoolean() ? new Action.Tick() : new Action.FlushIotlb();
        if (r < 44) {
            List<String> gs = s.config().guests();
            int p = HonestDriver.freePage(s, rnd);
            return p > 0 ? new Action.AllocatePage(gs.get(rnd.nextInt(gs.size())), p) : null;
        }
        if (r < 45) {
            int ci = rnd.nextInt(ctxs.size());
            String mac = rnd.nextInt(5) == 0 ? "ff:ff:ff:ff:ff:ff" : s.nic().mac(ci);
            return new Action.ReceiveFrame(mac, rnd.nextInt(1 << 20), 1 + rnd.nextInt((int) Math.min(64, s.config().maxLen())));
        }
        List<String> gs = s.config().guests();
        String g = gs.get(rnd.nextInt(gs.size()));
        if (g.equals(HostMemory.HYP)) return null;
        boolean malicious = split ? gs.indexOf(g) % 2 == 0 : rnd.nextInt(100) < maliciousPercent;
        return malicious ? MaliciousGuest.next(s, g, rnd) : HonestDriver.next(s, g, rnd);
    }
}
