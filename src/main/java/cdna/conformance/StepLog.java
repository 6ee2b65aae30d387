package cdna.conformance;

import cdna.design.Design;
import cdna.json.InputException;
import cdna.json.LocatedJson;
import cdna.sim.HostSystem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Java run logged as ndjson, one line per spec-sized step: {@code {"step": n, "action":
 * "...", "state": {var: value}}}, the state being the machine's spec-state view after the
 * step (step 0 is the machine as built, action "Init").  {@link #attach} logs a machine from
 * then on; {@link #read} reads a log back for {@link TraceValidation}, and a line that is not
 * a log entry is an error naming the file and line.
 */
public final class StepLog implements Closeable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A log as read: the states and the step into each but the first. */
    public record Read(List<Map<String, JsonNode>> states, List<String> steps) {}

    private final BufferedWriter out;
    private final ModelSetup m;
    private long n;

    private StepLog(Path file, ModelSetup m) throws IOException {
        this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        this.m = m;
    }

    /**
     * Starts logging s (a machine of the ContextOwnership model cfg, under design, with the given
     * context owners) to file: its state now, then after every enabled step.
     */
    public static StepLog attach(HostSystem s, Path root, String cfgName, Design design, List<String> ctxOwners, Path file)
            throws IOException, InputException {
        ModelSetup m = ModelSetup.ownership(root, cfgName, design, ctxOwners);
        StepLog log = new StepLog(file, m);
        log.write("Init", s);
        s.setStepLog(x -> {
            try {
                log.write(x.lastAction(), x);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return log;
    }

    private void write(String action, HostSystem s) throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("step", n++);
        line.put("action", action);
        ObjectNode state = line.putObject("state");
        for (var e : Abstraction.of(s, m).entrySet()) state.set(e.getKey(), e.getValue());
        out.write(JSON.writeValueAsString(line));
        out.write('\n');
    }

    @Override public void close() throws IOException { out.close(); }

    /** Reads a log written by {@link #attach}. */
    public static Read read(Path file) throws IOException, InputException {
        List<Map<String, JsonNode>> states = new ArrayList<>();
        List<String> steps = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) continue;
            String where = file + ":" + (i + 1);
            LocatedJson.Obj o = LocatedJson.object(LocatedJson.parse(where, lines.get(i)), "a log entry");
            LocatedJson.onlyKeys(o, java.util.Set.of("step", "action", "state"), "a log entry");
            long step = LocatedJson.integer(LocatedJson.required(o, "step"), "\"step\"");
            if (step != states.size()) {
                throw new InputException(where + ": expected step " + states.size() + ", found " + step);
            }
            String action = LocatedJson.string(LocatedJson.required(o, "action"), "\"action\"");
            if (step == 0 && !action.equals("Init")) throw new InputException(where + ": expected action \"Init\" at step 0, found \"" + action + "\"");
            LocatedJson.Obj st = LocatedJson.object(LocatedJson.required(o, "state"), "\"state\"");
            Map<String, JsonNode> vars = new LinkedHashMap<>();
            for (var e : st.fields().entrySet()) vars.put(e.getKey(), Values.of(e.getValue()));
            states.add(vars);
            if (step > 0) steps.add(action);
        }
        if (states.isEmpty()) throw new InputException(file + ": expected log entries, found none");
        return new Read(states, steps);
    }
}
