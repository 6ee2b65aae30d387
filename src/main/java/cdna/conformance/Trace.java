package cdna.conformance;

import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.json.LocatedJson.Node;
import cdna.json.LocatedJson.Obj;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A counterexample as {@link cdna.check.TraceFiles} writes it, read with
 * locations kept: a trace file may be edited by hand or damaged, and every
 * complaint about it must name the file and line.
 */
record Trace(Path file, Node root, String model, Node modelNode, String design, Node designNode, String property,
             List<State> states, boolean lasso, Integer loopsBackTo, Node loopsBackToNode, Step loopStep,
             String cfg, Node cfgNode, Obj switches) {

    /**
     * The step that closes a lasso, from its last state back to state
     * {@code loopsBackTo}: TLC prints only where the loop goes, and the labeller
     * names the action that gets there (null when the trace has none).
     */
    record Step(String action, Node actionNode, Obj params) {}

    /** TLC's "Stuttering" lasso: the behaviour stays in its last state forever (TlcOutput gives -1). */
    boolean stutters() { return loopsBackTo != null && loopsBackTo == -1; }

    /** One state: the action that led to it (with its parameters) and every spec variable. */
    record State(int index, String action, Node actionNode, Obj params, Obj vars) {
        /** The step as TLA+ would write it, for messages: {@code PostDescriptor(c1, [addr |-> 0, len |-> 1])}. */
        String label() {
            if (params.fields().isEmpty()) return action;
            StringBuilder sb = new StringBuilder(action).append('(');
            boolean first = true;
            for (var e : params.fields().entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append(" = ").append(Values.show(Values.normalize(Values.of(e.getValue()))));
            }
            return sb.append(')').toString();
        }
    }

    static Trace read(Path file) throws InputException {
        Node root = LocatedJson.read(file);
        Obj o = LocatedJson.object(root, "a trace file");
        Node modelNode = LocatedJson.required(o, "model");
        String model = LocatedJson.string(modelNode, "\"model\"");
        Node designNode = LocatedJson.required(o, "design");
        String design = LocatedJson.string(designNode, "\"design\"");
        String property = LocatedJson.string(LocatedJson.required(o, "property"), "\"property\"");
        LocatedJson.Arr arr = LocatedJson.array(LocatedJson.required(o, "states"), "\"states\"");
        if (arr.items().isEmpty()) throw new InputException(arr.where() + ": expected at least one state (Init), found none");
        // A trace TLC could not label has no parameters, and without them a step cannot be replayed.
        String whyUnlabelled = null;
        if (o.get("labelled") != null && !LocatedJson.bool(o.get("labelled"), "\"labelled\"")) {
            whyUnlabelled = o.get("labellingFailure") instanceof LocatedJson.Val v && v.value() instanceof String s
                    ? s : "no reason given";
        }
        List<State> states = new ArrayList<>();
        for (Node n : arr.items()) {
            Obj s = LocatedJson.object(n, "a state");
            long index = LocatedJson.integer(LocatedJson.required(s, "index"), "\"index\"");
            if (index != states.size() + 1) {
                throw new InputException(s.get("index").where() + ": expected state index " + (states.size() + 1)
                        + " (states are numbered from 1 in order), found " + index);
            }
            Node actionNode = LocatedJson.required(s, "action");
            String action = LocatedJson.string(actionNode, "\"action\"");
            // TLC names a step by the innermost definition it went through (Reclaim for FreePage, Next for an
            // action under \E in Next); the labeller names the action of Next whose parameters "params" holds.
            if (s.get("labelledAction") != null) {
                actionNode = s.get("labelledAction");
                action = LocatedJson.string(actionNode, "\"labelledAction\"");
            }
            if (states.isEmpty() != action.equals("Init")) {
                throw new InputException(actionNode.where() + ": expected "
                        + (states.isEmpty() ? "the first state's action to be \"Init\"" : "an action other than \"Init\" after the first state")
                        + ", found \"" + action + "\"");
            }
            Node p = LocatedJson.required(s, "params");
            if (p instanceof LocatedJson.Val v && v.value() == null) {
                throw new InputException(p.where() + ": expected the parameters of " + action
                        + " as an object, found null" + (whyUnlabelled == null ? "" : " (the trace was not labelled: " + whyUnlabelled + ")"));
            }
            Obj params = LocatedJson.object(p, "\"params\"");
            Obj vars = LocatedJson.object(LocatedJson.required(s, "vars"), "\"vars\"");
            states.add(new State((int) index, action, actionNode, params, vars));
        }
        if (o.get("length") != null) {
            long length = LocatedJson.integer(o.get("length"), "\"length\"");
            if (length != states.size()) {
                throw new InputException(o.get("length").where() + ": \"length\" says " + length + " states but \"states\" holds "
                        + states.size());
            }
        }
        Node backNode = o.get("loopsBackTo");
        boolean lasso = backNode != null && !(backNode instanceof LocatedJson.Val v && v.value() == null);
        Integer back = null;
        Step loopStep = null;
        if (lasso) {
            long b = LocatedJson.integer(backNode, "\"loopsBackTo\"");
            if (b != -1 && (b < 1 || b > states.size())) {
                throw new InputException(backNode.where() + ": expected \"loopsBackTo\" to be a state of the trace (1.."
                        + states.size() + ") or -1 (stuttering), found " + b);
            }
            back = (int) b;
            if (o.get("loopStep") != null) {
                Obj ls = LocatedJson.object(o.get("loopStep"), "\"loopStep\"");
                Node an = LocatedJson.required(ls, "action");
                String a = LocatedJson.string(an, "\"loopStep\".action");
                Node p = LocatedJson.required(ls, "params");
                loopStep = new Step(a, an, LocatedJson.object(p, "\"loopStep\".params"));
            }
        }
        // Traces written since certification name their cfg and every design switch; older ones only the manifest entry.
        Node cfgNode = o.get("cfg");
        String cfg = cfgNode == null ? null : LocatedJson.string(cfgNode, "\"cfg\"");
        Obj switches = o.get("switches") == null ? null : LocatedJson.object(o.get("switches"), "\"switches\"");
        if ((cfg == null) != (switches == null)) {
            throw new InputException(o.where() + ": a trace names both its \"cfg\" and its \"switches\", or neither");
        }
        return new Trace(file, root, model, modelNode, design, designNode, property, List.copyOf(states), lasso, back, backNode,
                loopStep, cfg, cfgNode, switches);
    }
}
