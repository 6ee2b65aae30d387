package cdna.check;

import cdna.design.Design;
import cdna.design.Switch;
import cdna.trace.TlaValue;
import cdna.trace.TraceState;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Saves a counterexample three times under a traces/ directory: as TLC
 * printed it (MODEL--PROPERTY.tlc.txt), as JSON (MODEL--PROPERTY.json) with
 * one object per state carrying the action, its parameters and every
 * variable, and in the Informal Trace Format (MODEL--PROPERTY.itf.json).  The
 * JSON names the module, cfg and every design switch, so it can be replayed
 * without the manifest (a design certified from a file anywhere has no entry).
 */
public final class TraceFiles {
    /** Paths relative to the project root (null when not written), a note on anything missing, and commands run. */
    public record Saved(String json, String text, String itf, String note, List<String> commands) {}

    /** Where a trace came from: the run's name, its model, module and cfg, and the design checked. */
    public record Origin(String model, String template, String module, String cfg, Design design) {}

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TraceFiles() {}

    /** The trace to label: for a lasso, the state it loops back to is appended, so the closing step is labelled too. */
    public static List<TraceState> withLoopTarget(Outcome o) {
        List<TraceState> t = new ArrayList<>(o.trace());
        Integer back = o.loopsBackTo();
        if (back != null && back > 0 && back <= t.size()) {
            TraceState target = t.get(back - 1);
            t.add(new TraceState(t.size() + 1, "(loop)", null, target.vars()));
        }
        return t;
    }

    public static Saved save(Path root, Path dir, Origin origin, String property, String kind,
                             Outcome o, TraceExplainer.Result labels) throws IOException {
        Files.createDirectories(dir);
        String model = origin.model();
        String design = origin.design().name();
        String base = model + "--" + property;
        Path txt = dir.resolve(base + ".tlc.txt");
        Path json = dir.resolve(base + ".json");
        Path itf = dir.resolve(base + ".itf.json");

        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode doc = f.objectNode();
        doc.put("model", model);
        doc.put("design", design);
        doc.put("property", property);
        doc.put("template", origin.template());
        doc.put("module", origin.module());
        doc.put("cfg", origin.cfg());
        doc.set("switches", switches(origin.design()));
        doc.put("kind", kind);
        doc.put("tlcVerdict", o.kind().name());
        doc.put("length", o.trace().size());
        if (o.loopsBackTo() == null) doc.putNull("loopsBackTo");
        else doc.put("loopsBackTo", o.loopsBackTo());
        doc.put("labelled", labels.ok());
        if (!labels.ok()) doc.put("labellingFailure", labels.failure());
        ArrayNode states = doc.putArray("states");
        for (int i = 0; i < o.trace().size(); i++) {
            TraceState st = o.trace().get(i);
            ObjectNode n = states.addObject();
            n.put("index", st.index());
            if (labels.ok() && i < labels.labels().size()) {
                TraceExplainer.Label l = labels.labels().get(i);
                // TLC names a step after the innermost definition it came from (FreePage is printed as
                // Reclaim, an action quantified inside Next as Next); the labeller names the spec action.
                n.put("action", l.action());
                if (!l.action().equals(st.action())) n.put("tlcAction", st.action());
                n.set("params", params(l.params()));
            } else {
                n.put("action", st.action());
                n.putNull("params");
            }
            if (st.location() == null) n.putNull("location"); else n.put("location", st.location());
            ObjectNode vars = n.putObject("vars");
            for (Map.Entry<String, TlaValue> e : st.vars().entrySet()) vars.set(e.getKey(), e.getValue().toJson());
        }
        if (labels.ok() && labels.labels().size() > o.trace().size()) {
            TraceExplainer.Label l = labels.labels().get(labels.labels().size() - 1);
            ObjectNode loop = doc.putObject("loopStep");
            loop.put("action", l.action());
            loop.set("params", params(l.params()));
        }
        writeAtomically(json, JSON.writeValueAsString(doc) + "\n");
        writeAtomically(txt, "\\* " + model + " (design " + design + "): " + property + "\n" + o.traceText());
        List<Itf.Step> steps = null;
        if (labels.ok()) {
            steps = new ArrayList<>();
            for (int i = 0; i < o.trace().size() && i < labels.labels().size(); i++) {
                TraceExplainer.Label l = labels.labels().get(i);
                steps.add(new Itf.Step(l.action(), i == 0 ? null : l.params()));
            }
        }
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("source", origin.module() + " with " + origin.cfg());
        meta.put("description", property + " (" + kind + ") of model " + model + " under design " + design
                + ", found by TLC and labelled by cdna");
        meta.put("model", model);
        meta.put("design", design);
        meta.put("property", property);
        writeAtomically(itf, JSON.writeValueAsString(Itf.of(o.trace(), steps, o.loopsBackTo(), meta)) + "\n");
        String note = labels.ok() ? null : "step parameters unavailable: " + labels.failure();
        return new Saved(root.relativize(json.toAbsolutePath()).toString(), root.relativize(txt.toAbsolutePath()).toString(),
                root.relativize(itf.toAbsolutePath()).toString(),
                note, labels.command().isEmpty() ? List.of() : List.of(TlcRunner.shellLine(labels.command())));
    }

    private static com.fasterxml.jackson.databind.JsonNode params(TlaValue p) {
        if (p instanceof TlaValue.Rec r && (r.fields().isEmpty() || r.fields().keySet().equals(java.util.Set.of("none")))) {
            return JsonNodeFactory.instance.objectNode();
        }
        return p == null ? JsonNodeFactory.instance.objectNode() : p.toJson();
    }

    /** Writes to a temporary file first, so an interrupted run never leaves a half-written report. */
    /** Every switch of a design with its value, as traces and step logs record them (read back by the replay). */
    public static ObjectNode switches(cdna.design.Design d) {
        ObjectNode switches = JsonNodeFactory.instance.objectNode();
        for (Switch sw : Switch.values()) {
            Object v = d.get(sw);
            if (v instanceof Boolean b) switches.put(sw.name(), b);
            else if (v instanceof Long l) switches.put(sw.name(), l);
            else switches.put(sw.name(), String.valueOf(v));
        }
        return switches;
    }

    public static void writeAtomically(Path file, String text) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
