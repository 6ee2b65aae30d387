package cdna.conformance;

import cdna.check.TraceFiles;
import cdna.design.Design;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Java run logged as ndjson, one line per spec-sized step, for trace validation
 * ({@link TraceValidation}).  Every line is {@code {"step": n, "action": JAVA_LABEL,
 * "specAction": NAME|null, "params": {...} (when known), "state": {var: value}}}: the Java
 * step, the spec action it claims to be (null: a step outside the spec, which must leave the
 * spec's variables alone), and the spec-state view of the machine after it.  Line 0 is the
 * machine as built (action "Init") and also says what the log is of: the model's cfg (under
 * model-check/), the design with every switch, the contexts' first owners, and where the run
 * came from (seed or fuzz input), so a log file is validated on its own.  Reading a line that
 * is not such an entry is an error naming the file and the line.
 */
public final class StepLog {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StepLog() {}

    /** What a log is of: the model's cfg file name, the design, the contexts' first owners (empty for the migration), where it came from. */
    public record Header(String cfg, Design design, List<String> ctxOwners, String source) {}

    /** One step: the Java label, the spec action it claims (null: outside the spec), its parameters (null: not known), the state after it. */
    public record Entry(String action, String specAction, ObjectNode params, Map<String, JsonNode> state) {}

    /** A log: its header and its entries, the first the initial state. */
    public record Log(Header header, List<Entry> entries) {
        public int size() { return entries.size(); }
    }

    /** Writes a log as ndjson. */
    public static void write(Log log, Path file) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < log.entries().size(); i++) {
                Entry e = log.entries().get(i);
                ObjectNode line = JSON.createObjectNode();
                line.put("step", i);
                line.put("action", e.action());
                if (i == 0) {
                    Header h = log.header();
                    line.put("cfg", h.cfg());
                    line.put("design", h.design().name());
                    line.set("switches", TraceFiles.switches(h.design()));
                    var owners = line.putArray("ctxOwners");
                    h.ctxOwners().forEach(owners::add);
                    line.put("source", h.source());
                } else {
                    line.put("specAction", e.specAction());
                    if (e.params() != null) line.set("params", e.params());
                }
                ObjectNode state = line.putObject("state");
                for (var v : e.state().entrySet()) state.set(v.getKey(), v.getValue());
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        }
    }

    private static final Set<String> FIRST = Set.of("step", "action", "cfg", "design", "switches", "ctxOwners", "source", "state");
    private static final Set<String> NEXT = Set.of("step", "action", "specAction", "params", "state");

    /** Reads a log written by {@link #write}. */
    public static Log read(Path file) throws InputException {
        List<Entry> entries = new ArrayList<>();
        Header header = null;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(file + ": cannot read the log (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String where = file + ":" + (i + 1);
            // Parsed with the lines before it blank, so every error names the file's line and column.
            LocatedJson.Obj o = LocatedJson.object(LocatedJson.parse(file.toString(), "\n".repeat(i) + lines.get(i)), "a log entry");
            long step = LocatedJson.integer(LocatedJson.required(o, "step"), "\"step\"");
            if (step != entries.size()) throw new InputException(where + ": expected step " + entries.size() + ", found " + step);
            LocatedJson.onlyKeys(o, step == 0 ? FIRST : NEXT, step == 0 ? "the first log entry" : "a log entry");
            String action = LocatedJson.string(LocatedJson.required(o, "action"), "\"action\"");
            String specAction = null;
            ObjectNode params = null;
            if (step == 0) {
                if (!action.equals("Init")) throw new InputException(where + ": expected action \"Init\" at step 0, found \"" + action + "\"");
                String design = LocatedJson.string(LocatedJson.required(o, "design"), "\"design\"");
                LocatedJson.Obj sw = LocatedJson.object(LocatedJson.required(o, "switches"), "\"switches\"");
                List<String> owners = new ArrayList<>();
                for (LocatedJson.Node n : LocatedJson.array(LocatedJson.required(o, "ctxOwners"), "\"ctxOwners\"").items()) {
                    owners.add(LocatedJson.string(n, "a context's owner"));
                }
                header = new Header(LocatedJson.string(LocatedJson.required(o, "cfg"), "\"cfg\""),
                        ModelSetup.designOf(design, sw, "log"), owners,
                        o.get("source") == null ? "" : LocatedJson.string(o.get("source"), "\"source\""));
            } else {
                LocatedJson.Node sa = LocatedJson.required(o, "specAction");
                specAction = sa instanceof LocatedJson.Val v && v.value() == null ? null : LocatedJson.string(sa, "\"specAction\"");
                if (o.get("params") != null) params = (ObjectNode) Values.of(LocatedJson.object(o.get("params"), "\"params\""));
            }
            LocatedJson.Obj st = LocatedJson.object(LocatedJson.required(o, "state"), "\"state\"");
            Map<String, JsonNode> vars = new LinkedHashMap<>();
            for (var e : st.fields().entrySet()) vars.put(e.getKey(), Values.of(e.getValue()));
            entries.add(new Entry(action, specAction, params, vars));
        }
        if (entries.isEmpty()) throw new InputException(file + ": expected log entries, found none");
        return new Log(header, entries);
    }
}
