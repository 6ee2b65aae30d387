package cdna.conformance;

import cdna.migration.HandoffDriver;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What a logged Java step claims to be in the spec: the action's name and, where the Java
 * label carries them in the spec's terms, its parameters.  The Java step names are the
 * spec's action names (one vocabulary), so the name is the label up to its parameters; a
 * step on a TX ring is outside the specs, which model the RX ring only.  Parameters are
 * read for the actions whose parameters are guests, pages, contexts and numbers; a buffer
 * is left to the spec to find (the state after the step pins it down).
 */
final class SpecSteps {
    private SpecSteps() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** A step as the spec sees it: the action's name (null: outside the spec) and its parameters (null: not known). */
    record SpecStep(String action, ObjectNode params) {}

    /** The spec step a HostSystem label (such as {@code AllocatePage(g1, 2)}) claims, for the model m. */
    static SpecStep host(String label, ModelSetup m) {
        String name = name(label);
        List<String> args = args(label);
        if (args.contains("TX")) return new SpecStep(null, null);
        ObjectNode p = F.objectNode();
        try {
            switch (name) {
                case "AllocatePage", "FreePage" -> {
                    p.put("g", args.get(0));
                    page(p, m, args.get(1));
                }
                case "TransferPage" -> {
                    p.put("g", args.get(0));
                    p.put("h", m.ownerName(args.get(1)));
                    page(p, m, args.get(2));
                }
                case "StopContext", "QuiesceContext", "UnmapContext", "UnpinContext", "NicRaise", "DeliverVirq", "NicFetch",
                        "NicDma", "ReapCompletions", "PinAndPost" -> p.put("c", args.get(0));
                case "RingDoorbell" -> {
                    // Without ModelDoorbell the spec has no register (the NIC may fetch any time): a write to it is outside.
                    if (!m.modelDoorbell()) return new SpecStep(null, null);
                    // The register is SeqMod values wide: the NIC keeps what the guest wrote modulo that.
                    p.put("c", args.get(0));
                    p.put("v", Math.floorMod(Long.parseLong(args.get(2)), (long) m.config().seqMod()));
                }
                case "WriteDescriptor" -> {
                    // Only ContextOwnership with ModelIommuRing has the guest-written ring; elsewhere it is in DeviceReach.
                    if (!m.ownership() || !m.modelIommuRing()) return new SpecStep(null, null);
                    p.put("c", args.get(0));
                    p.put("i", Integer.parseInt(args.get(2)));
                    p.put("g", args.get(3));
                }
                case "AssignContext" -> {
                    p.put("c", args.get(0));
                    p.put("g", args.get(1));
                }
                case "FlushIotlb", "HandleInterrupt", "ClearVector", "ScanVector" -> p.put("none", 0);
                default -> p = null;
            }
        } catch (IndexOutOfBoundsException | NumberFormatException e) {
            p = null;  // a label of another shape: the spec finds the parameters
        }
        return new SpecStep(name, p);
    }

    /** The spec step a migration twin label (such as {@code LandOnA(1, 3)}, from {@link HandoffDriver#step}) claims. */
    static SpecStep migration(String label) {
        String name = name(label);
        List<String> names = HandoffDriver.params(name);
        if (names == null) return new SpecStep(name, null);
        List<String> args = args(label);
        ObjectNode p = F.objectNode();
        if (names.isEmpty()) p.put("none", 0);
        else if (args.size() != names.size()) return new SpecStep(name, null);
        for (int i = 0; i < names.size(); i++) p.put(names.get(i), Long.parseLong(args.get(i)));
        return new SpecStep(name, p);
    }

    private static void page(ObjectNode p, ModelSetup m, String arg) {
        int n = Integer.parseInt(arg);
        if (m.integerPages()) p.put("p", n);
        else p.put("p", m.pageName(n));
    }

    static String name(String label) {
        int i = label.indexOf('(');
        return i < 0 ? label : label.substring(0, i);
    }

    /** The label's top-level arguments (commas inside brackets do not split). */
    static List<String> args(String label) {
        int open = label.indexOf('(');
        List<String> r = new ArrayList<>();
        if (open < 0 || !label.endsWith(")")) return r;
        int depth = 0, from = open + 1;
        for (int i = open + 1; i < label.length() - 1; i++) {
            char c = label.charAt(i);
            if (c == '[' || c == '(' || c == '{') depth++;
            else if (c == ']' || c == ')' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                r.add(label.substring(from, i).strip());
                from = i + 1;
            }
        }
        String last = label.substring(from, label.length() - 1).strip();
        if (!last.isEmpty() || !r.isEmpty()) r.add(last);
        return r;
    }
}
