package cdna.report;

import cdna.check.Coverage;
import cdna.check.PropertyResult;
import cdna.check.WitnessResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The check table on the terminal and reports/check.json. */
public final class CheckReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CheckReport() {}

    public static String table(List<PropertyResult> rows) {
        String[] head = {"model", "design", "property", "expected", "verdict", "distinct", "depth", "seconds", "actions",
                "witnesses", ""};
        String[][] cells = new String[rows.size()][];
        for (int i = 0; i < rows.size(); i++) {
            PropertyResult r = rows.get(i);
            cells[i] = new String[] {r.model(), String.valueOf(r.design()), r.property(), String.valueOf(r.expected()),
                    r.verdict(), r.distinctStates() < 0 ? "-" : String.format(Locale.ROOT, "%,d", r.distinctStates()),
                    r.depth() == null ? "-" : r.depth().toString(), String.format(Locale.ROOT, "%.1f", r.seconds()),
                    actions(r), witnesses(r), r.asExpected() ? "ok" : "MISMATCH"};
        }
        int[] w = new int[head.length];
        for (int c = 0; c < head.length; c++) {
            w[c] = head[c].length();
            for (String[] row : cells) w[c] = Math.max(w[c], row[c].length());
        }
        StringBuilder sb = new StringBuilder();
        line(sb, head, w);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < head.length; c++) rule.append("-".repeat(w[c])).append(c + 1 < head.length ? "  " : "");
        sb.append(rule).append('\n');
        for (String[] row : cells) line(sb, row, w);
        return sb.toString();
    }

    /** Actions that fired out of those TLC reports (Init aside), in parentheses for a search a counterexample cut short, or "-" without coverage. */
    static String actions(PropertyResult r) {
        if (r.coverage() == null) return "-";
        long all = r.coverage().actions().stream().filter(a -> !a.name().equals("Init")).count();
        String f = (all - r.coverage().neverFired().size()) + "/" + all;
        // a counterexample stops the search: its counts are partial
        return r.verdict().equals("violated") ? "(" + f + ")" : f;
    }

    /** Witnesses reached out of those looked for, or "-" when none was looked for. */
    static String witnesses(PropertyResult r) {
        if (r.witnesses().isEmpty()) return "-";
        return r.witnesses().stream().filter(WitnessResult::reached).count() + "/" + r.witnesses().size();
    }

    private static void line(StringBuilder sb, String[] row, int[] w) {
        for (int c = 0; c < row.length; c++) {
            boolean right = c >= 5 && c <= 9;
            String v = row[c];
            String pad = " ".repeat(w[c] - v.length());
            sb.append(right ? pad + v : v + (c + 1 < row.length ? pad : ""));
            if (c + 1 < row.length) sb.append("  ");
        }
        sb.append('\n');
    }

    public static void writeJson(Path file, List<PropertyResult> rows) throws IOException {
        ArrayNode arr = JsonNodeFactory.instance.arrayNode();
        for (PropertyResult r : rows) {
            ObjectNode o = arr.addObject();
            o.put("model", r.model());
            o.put("design", r.design());
            o.put("property", r.property());
            o.put("expected", r.expected());
            o.put("verdict", r.verdict());
            if (r.distinctStates() < 0) o.putNull("distinctStates"); else o.put("distinctStates", r.distinctStates());
            if (r.depth() == null) o.putNull("depth"); else o.put("depth", r.depth());
            o.put("seconds", Math.round(r.seconds() * 10) / 10.0);
            if (r.trace() == null) o.putNull("trace"); else o.put("trace", r.trace());
            if (r.tlcTrace() == null) o.putNull("tlcTrace"); else o.put("tlcTrace", r.tlcTrace());
            if (r.kind() == null) o.putNull("kind"); else o.put("kind", r.kind());
            if (r.message() == null) o.putNull("message"); else o.put("message", r.message());
            if (r.statesInRange() == null) o.putNull("statesInRange"); else o.put("statesInRange", r.statesInRange());
            if (r.javaReplay() == null) o.putNull("javaReplay"); else o.put("javaReplay", r.javaReplay());
            o.put("asExpected", r.asExpected());
            if (r.coverage() == null) o.putNull("coverage");
            else {
                ObjectNode cov = o.putObject("coverage");
                for (Coverage.Action a : r.coverage().actions()) {
                    ObjectNode x = cov.putObject(a.name());
                    x.put("taken", a.taken());
                    x.put("found", a.found());
                    x.put("location", a.location());
                    if (r.coverage().allowed().containsKey(a.name())) x.put("mayNotFire", r.coverage().allowed().get(a.name()));
                }
            }
            ArrayNode ws = o.putArray("witnesses");
            for (WitnessResult w : r.witnesses()) ws.addPOJO(w);
            ArrayNode cmds = o.putArray("commands");
            r.commands().forEach(cmds::add);
        }
        cdna.check.TraceFiles.writeAtomically(file, JSON.writeValueAsString(arr) + "\n");
    }
}
