package cdna.migration;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The network between the hosts: frames for the guest's MAC, in flight until
 * they land on a host or are dropped, and which hosts claim the MAC (while
 * both do the switch floods).  Where each frame was delivered is recorded:
 * "A" or "B" to the guest there, "O" to the other guest (TLA+ sent, flight,
 * macA, macB, delivered).
 */
final class Network {
    int sent;
    final TreeSet<Integer> flight = new TreeSet<>();
    boolean macA = true;
    boolean macB;
    /** delivered.get(f - 1): where frame f went. */
    final List<TreeSet<String>> delivered = new ArrayList<>();

    Network(HandoffConfig c) {
        for (int f = 0; f < c.maxFrames(); f++) delivered.add(new TreeSet<>());
    }

    Network(Network o) {
        sent = o.sent; flight.addAll(o.flight); macA = o.macA; macB = o.macB;
        for (TreeSet<String> d : o.delivered) delivered.add(new TreeSet<>(d));
    }

    void deliver(int f, String where) { delivered.get(f - 1).add(where); }
}
