package cdna.report;

import cdna.check.TraceFiles;
import cdna.explore.Exploration;
import cdna.explore.Frontier;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders a design-space exploration: the table of designs (switches changed,
 * properties kept, cost per packet), the plot of cost against the set of
 * properties kept with the Pareto frontier marked, how the frontier moves
 * when a unit cost changes, and the verdicts' agreement with the manifest.
 * Writes explore.json, table.md, frontier.svg and index.html.
 */
public final class ExploreReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ExploreReport() {}

    /** The answer to {@code --keep}: the cheapest design keeping the set, or null. */
    public record Keep(Set<String> properties, Exploration.Explored design) {}

    public static void write(Path dir, Exploration.Result r, Keep keep, String commandLine) throws IOException {
        Files.createDirectories(dir);
        TraceFiles.writeAtomically(dir.resolve("table.md"), table(r));
        TraceFiles.writeAtomically(dir.resolve("frontier.svg"), svg(r));
        TraceFiles.writeAtomically(dir.resolve("explore.json"), json(r, keep, commandLine));
        TraceFiles.writeAtomically(dir.resolve("index.html"), html(r, keep, commandLine));
    }

    /** Every property required of some explored design, in the manifest's order as the certificates list them. */
    static List<String> properties(Exploration.Result r) {
        Set<String> out = new LinkedHashSet<>();
        for (Exploration.Explored e : r.explored()) out.addAll(e.verdicts().keySet());
        return List.copyOf(out);
    }

    /** A short code per property for the plot's axis: its capitals (NoStaleDma: NSD). */
    static Map<String, String> codes(List<String> properties) {
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> used = new java.util.HashSet<>();
        for (String p : properties) {
            String c = p.replaceAll("[^A-Z]", "");
            if (c.isEmpty()) c = p;
            String base = c;
            for (int i = 2; !used.add(c); i++) c = base + i;
            out.put(p, c);
        }
        return out;
    }

    private static boolean onFrontier(Exploration.Result r, String design) {
        return r.frontier().stream().anyMatch(p -> p.design().equals(design));
    }

    private static String stage(Exploration.Explored e) {
        if (e.standard() != null) return "standard";
        return e.provisional() ? "small (provisional)" : "small";
    }

    /** The table as Markdown: cheapest first. */
    public static String table(Exploration.Result r) {
        List<String> props = properties(r);
        StringBuilder b = new StringBuilder();
        b.append("| design | switches changed from ").append(r.base().name())
                .append(" | properties kept | broken or unknown | cost per packet | frontier | checked to |\n");
        b.append("|---|---|---:|---|---:|:---:|---|\n");
        for (Exploration.Explored e : sorted(r)) {
            List<String> missing = new ArrayList<>();
            e.verdicts().forEach((p, v) -> {
                if (!v.equals("holds")) missing.add(p + (v.equals("violated") ? "" : " (" + v + ")"));
            });
            b.append(String.format(Locale.ROOT, "| %s | %s | %d of %d | %s | %.3f | %s | %s |%n", e.name(),
                    e.candidate().changes() + (e.candidate().covers().isEmpty() ? "" : "; also " + String.join("; ", e.candidate().covers())),
                    e.kept().size(), e.verdicts().size(), missing.isEmpty() ? "none" : String.join(", ", missing),
                    e.counts().relativeCost(r.units()), onFrontier(r, e.name()) ? "yes" : "", stage(e)));
        }
        b.append(String.format(Locale.ROOT, "%ncost per packet = %s (assumed unit costs; see docs/exploration.md)%n", r.units().formula()));
        if (!props.isEmpty()) b.append("properties: ").append(String.join(", ", props)).append('\n');
        return b.toString();
    }

    private static List<Exploration.Explored> sorted(Exploration.Result r) {
        List<Exploration.Explored> out = new ArrayList<>(r.explored());
        out.sort(Comparator.comparingDouble((Exploration.Explored e) -> e.counts().relativeCost(r.units()))
                .thenComparing(e -> -e.kept().size()).thenComparing(Exploration.Explored::name));
        return out;
    }

    /** The distinct kept sets, fewest properties first: the plot's x axis. */
    static List<Set<String>> columns(Exploration.Result r) {
        List<String> props = properties(r);
        Set<Set<String>> seen = new LinkedHashSet<>();
        for (Exploration.Explored e : r.explored()) seen.add(new TreeSet<>(e.kept()));
        List<Set<String>> out = new ArrayList<>(seen);
        out.sort(Comparator.comparingInt((Set<String> s) -> s.size()).thenComparing(s -> {
            StringBuilder k = new StringBuilder();
            for (String p : props) k.append(s.contains(p) ? '1' : '0');
            return k.reverse().toString();
        }));
        return out;
    }

    /** The plot: one column per kept set, cost per packet up the side, frontier designs filled and joined. */
    public static String svg(Exploration.Result r) {
        List<String> props = properties(r);
        Map<String, String> code = codes(props);
        List<Set<String>> cols = columns(r);
        double max = 0;
        for (Exploration.Explored e : r.explored()) max = Math.max(max, e.counts().relativeCost(r.units()));
        double top = niceCeiling(max);
        int colW = 120, left = 70, plotH = 320, topPad = 40, labelH = 40 + 14 * Math.max(1, props.size());
        // the legend sits right of the widest frontier label
        int w = Math.max(1000, left + Math.max(1, cols.size()) * colW + 360 + 300);
        int h = topPad + plotH + labelH + 30;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">%n", w, h, w, h));
        s.append(String.format(Locale.ROOT, "<title>%s</title>%n", Html.esc("Cost per packet against properties kept, from "
                + r.base().name())));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", left,
                Html.esc("Designs explored from " + r.base().name() + ": cost per packet against properties kept")));
        int x0 = left, y0 = topPad, plotW = Math.max(1, cols.size()) * colW;
        // axes and grid
        for (int i = 0; i <= 4; i++) {
            double v = top * i / 4;
            double y = y0 + plotH - plotH * i / 4.0;
            s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#eceff1\"/>%n", x0, y, x0 + plotW, y));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", x0 - 6, y + 4, fmt(v)));
        }
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#546e7a\"/>%n", x0, y0, x0, y0 + plotH));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#546e7a\"/>%n", x0, y0 + plotH, x0 + plotW, y0 + plotH));
        s.append(String.format(Locale.ROOT, "<text transform=\"translate(16,%d) rotate(-90)\" text-anchor=\"middle\">cost per packet (hypercalls)</text>%n",
                y0 + plotH / 2));
        // column labels: how many kept, then the missing properties' codes
        for (int c = 0; c < cols.size(); c++) {
            Set<String> kept = cols.get(c);
            int cx = x0 + c * colW + colW / 2;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" font-weight=\"bold\">%d of %d kept</text>%n",
                    cx, y0 + plotH + 16, kept.size(), props.size()));
            int line = 0;
            for (String p : props) {
                if (kept.contains(p)) continue;
                s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#b71c1c\">no %s</text>%n",
                        cx, y0 + plotH + 30 + 12 * line++, code.get(p)));
            }
        }
        // the frontier, cheapest first, joined in column order
        List<double[]> fpts = new ArrayList<>();
        Map<String, double[]> at = new LinkedHashMap<>();
        Map<Integer, Integer> perColumn = new LinkedHashMap<>();
        for (Exploration.Explored e : sorted(r)) {
            int c = cols.indexOf(new TreeSet<>(e.kept()));
            int k = perColumn.merge(c, 1, Integer::sum) - 1;
            double cost = e.counts().relativeCost(r.units());
            double x = x0 + c * colW + colW / 2.0 + ((k % 5) - 2) * 7;
            double y = y0 + plotH - (top == 0 ? 0 : plotH * cost / top);
            at.put(e.name(), new double[]{x, y});
        }
        List<Frontier.Point> front = new ArrayList<>(r.frontier());
        front.sort(Comparator.comparingInt((Frontier.Point p) -> cols.indexOf(new TreeSet<>(p.kept()))).thenComparingDouble(Frontier.Point::cost));
        for (Frontier.Point p : front) fpts.add(at.get(p.design()));
        if (fpts.size() > 1) {
            StringBuilder pl = new StringBuilder();
            for (double[] p : fpts) pl.append(String.format(Locale.ROOT, "%.1f,%.1f ", p[0], p[1]));
            s.append("<polyline points=\"").append(pl.toString().trim()).append("\" fill=\"none\" stroke=\"#c62828\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/>\n");
        }
        // frontier designs with the same cost and the same properties share one label
        Map<String, List<Exploration.Explored>> ties = new LinkedHashMap<>();
        for (Exploration.Explored e : sorted(r)) {
            if (!onFrontier(r, e.name())) continue;
            ties.computeIfAbsent(String.format(Locale.ROOT, "%.9f %s", e.counts().relativeCost(r.units()), new TreeSet<>(e.kept())),
                    k -> new ArrayList<>()).add(e);
        }
        for (Exploration.Explored e : sorted(r)) {
            double[] p = at.get(e.name());
            boolean f = onFrontier(r, e.name());
            s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\"%s><title>%s</title></circle>%n",
                    p[0], p[1], f ? 6 : 4, f ? "#c62828" : "#ffffff", f ? "#8e0000" : "#78909c",
                    e.provisional() ? " stroke-dasharray=\"2 2\"" : "",
                    Html.esc(String.format(Locale.ROOT, "%s: %s; %d of %d kept; %.3f per packet%s", e.name(), e.candidate().changes(),
                            e.kept().size(), e.verdicts().size(), e.counts().relativeCost(r.units()), e.provisional() ? "; provisional" : ""))));
            List<Exploration.Explored> tie = f ? ties.get(String.format(Locale.ROOT, "%.9f %s", e.counts().relativeCost(r.units()),
                    new TreeSet<>(e.kept()))) : null;
            if (tie != null && tie.get(0) == e) {
                String label = shortName(r, e) + (tie.size() == 1 ? "" : " and " + (tie.size() - 1) + " more at the same cost");
                s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#8e0000\">%s</text>%n", p[0] + 9, p[1] - 6,
                        Html.esc(label)));
            }
        }
        // legend
        int lx = x0 + plotW + 360, ly = y0 + 4;
        s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"6\" fill=\"#c62828\" stroke=\"#8e0000\"/><text x=\"%d\" y=\"%d\">on the Pareto frontier</text>%n",
                lx, ly, lx + 12, ly + 4));
        s.append(String.format(Locale.ROOT, "<circle cx=\"%d\" cy=\"%d\" r=\"4\" fill=\"#ffffff\" stroke=\"#78909c\" stroke-width=\"1.5\"/><text x=\"%d\" y=\"%d\">dominated</text>%n",
                lx, ly + 18, lx + 12, ly + 22));
        int line = 0;
        for (String p : props) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s = %s</text>%n", lx, ly + 46 + 14 * line++, code.get(p), Html.esc(p)));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#546e7a\">cost per packet =</text>%n", lx, ly + 56 + 14 * line));
        String[] terms = r.units().formula().split(" \\+ ");
        for (int i = 0; i < terms.length; i++) {
            line++;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#546e7a\">%s%s</text>%n", lx + 8, ly + 56 + 14 * line,
                    i == 0 ? "" : "+ ", Html.esc(terms[i])));
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** A frontier label: the changes from the base ("the base" for it). */
    private static String shortName(Exploration.Result r, Exploration.Explored e) {
        if (e.candidate().changed().isEmpty()) return r.base().name();
        List<String> c = new ArrayList<>();
        e.candidate().changed().forEach((k, v) -> c.add(k + "=" + v.get(1)));
        return String.join(" ", c);
    }

    private static double niceCeiling(double x) {
        if (x <= 0) return 1;
        double p = Math.pow(10, Math.floor(Math.log10(x)));
        for (double m : new double[]{1, 2, 2.5, 5, 10}) if (m * p >= x) return m * p;
        return 10 * p;
    }

    private static String fmt(double v) {
        return java.math.BigDecimal.valueOf(v).setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }

    /** The frontier's sensitivity to each unit cost, as Markdown lines. */
    public static String sensitivity(Exploration.Result r) {
        List<String> base = r.frontier().stream().map(Frontier.Point::design).toList();
        StringBuilder b = new StringBuilder();
        b.append("| unit cost | scaled by | frontier | change |\n|---|---:|---|---|\n");
        for (Exploration.Sensitivity x : r.sensitivity()) {
            List<String> in = new ArrayList<>(x.frontier());
            in.removeAll(base);
            List<String> out = new ArrayList<>(base);
            out.removeAll(x.frontier());
            String change = in.isEmpty() && out.isEmpty() ? "unchanged"
                    : (in.isEmpty() ? "" : "joins: " + String.join(", ", in)) + (in.isEmpty() || out.isEmpty() ? "" : "; ")
                    + (out.isEmpty() ? "" : "leaves: " + String.join(", ", out));
            b.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", x.unitCost(), fmt(x.factor()), String.join(", ", x.frontier()), change));
        }
        return b.toString();
    }

    static String json(Exploration.Result r, Keep keep, String commandLine) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("base", r.base().name());
        o.put("stages", r.stages());
        o.put("commandLine", commandLine);
        o.put("seconds", Math.round(r.seconds()));
        o.put("interrupted", r.interrupted());
        ObjectNode u = o.putObject("unitCosts");
        r.units().asMap().forEach(u::put);
        ArrayNode ds = o.putArray("designs");
        for (Exploration.Explored e : r.explored()) {
            ObjectNode d = ds.addObject();
            d.put("name", e.name());
            if (e.candidate().knownAs() != null) d.put("designFile", "model-check/designs/" + e.candidate().knownAs() + ".json");
            ObjectNode ch = d.putObject("changed");
            e.candidate().changed().forEach((k, v) -> ch.putPOJO(k, v));
            ArrayNode cov = d.putArray("covers");
            e.candidate().covers().forEach(cov::add);
            ObjectNode inert = d.putObject("inert");
            e.candidate().inert().forEach(inert::put);
            d.putPOJO("counts", e.counts());
            d.put("cost", e.counts().relativeCost(r.units()));
            ObjectNode v = d.putObject("verdicts");
            e.verdicts().forEach(v::put);
            ArrayNode k = d.putArray("kept");
            e.kept().forEach(k::add);
            d.put("stage", stage(e));
            if (e.note() != null) d.put("note", e.note());
            d.put("frontier", onFrontier(r, e.name()));
            d.put("certificate", "designs/" + e.name() + "/" + e.last().profile() + "/certificate.json");
        }
        ArrayNode f = o.putArray("frontier");
        r.frontier().forEach(p -> f.add(p.design()));
        ArrayNode sens = o.putArray("sensitivity");
        for (Exploration.Sensitivity x : r.sensitivity()) {
            ObjectNode n = sens.addObject().put("unitCost", x.unitCost()).put("factor", x.factor());
            ArrayNode fr = n.putArray("frontier");
            x.frontier().forEach(fr::add);
        }
        ObjectNode ag = o.putObject("manifestAgreement").put("checked", r.agreement().checked());
        ArrayNode agd = ag.putArray("designs");
        r.agreement().designs().forEach(agd::add);
        ArrayNode dis = ag.putArray("disagreements");
        r.agreement().disagreements().forEach(dis::add);
        if (keep != null) {
            ObjectNode kn = o.putObject("keep");
            ArrayNode kp = kn.putArray("properties");
            keep.properties().forEach(kp::add);
            if (keep.design() != null) kn.put("design", keep.design().name()).put("cost", keep.design().counts().relativeCost(r.units()));
            else kn.putNull("design");
        }
        return JSON.writeValueAsString(o) + "\n";
    }

    static String html(Exploration.Result r, Keep keep, String commandLine) {
        StringBuilder h = new StringBuilder();
        String title = "cdna explore: " + r.base().name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Html.esc(title))
                .append("</title>\n<style>\n").append("""
                        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #263238; max-width: 1500px; }
                        table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #cfd8dc; padding: 4px 8px; text-align: left; vertical-align: top; }
                        th { background: #eceff1; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
                        tr.front td { background: #ffebee; } .meta { color: #546e7a; } code { background: #f5f5f5; padding: 1px 3px; }
                        """).append("</style></head><body>\n");
        h.append("<h1>").append(Html.esc(title)).append("</h1>\n");
        h.append(String.format(Locale.ROOT, "<p class=\"meta\">%d designs · stages: %s · %.0f s%s · <code>%s</code></p>%n",
                r.explored().size(), Html.esc(r.stages()), r.seconds(), r.interrupted() ? " · <b>interrupted</b>" : "",
                Html.esc(commandLine)));
        if (keep != null) {
            h.append("<p>Cheapest design keeping ").append(Html.esc(String.join(", ", keep.properties()))).append(": ");
            if (keep.design() == null) h.append("<b>none of the designs explored</b>");
            else h.append(link(keep.design(), keep.design().name())).append(String.format(Locale.ROOT, " (%.3f per packet)",
                    keep.design().counts().relativeCost(r.units())));
            h.append("</p>\n");
        }
        h.append("<h2>Cost against properties kept</h2>\n").append(svg(r));
        h.append("<h2>Designs</h2>\n<table><tr><th>design</th><th>switches changed</th><th>kept</th><th>broken or unknown</th>"
                + "<th>cost per packet</th><th>checked to</th><th>certificate</th></tr>\n");
        for (Exploration.Explored e : sorted(r)) {
            List<String> missing = new ArrayList<>();
            e.verdicts().forEach((p, v) -> {
                if (!v.equals("holds")) missing.add(p + (v.equals("violated") ? "" : " (" + v + ")"));
            });
            h.append(onFrontier(r, e.name()) ? "<tr class=\"front\">" : "<tr>")
                    .append("<td>").append(Html.esc(e.name())).append("</td><td>").append(Html.esc(e.candidate().changes()))
                    .append(e.candidate().covers().isEmpty() ? "" : "<br><small>also " + Html.esc(String.join("; ", e.candidate().covers())) + "</small>")
                    .append("</td><td class=\"n\">").append(e.kept().size()).append(" of ").append(e.verdicts().size())
                    .append("</td><td>").append(Html.esc(missing.isEmpty() ? "none" : String.join(", ", missing)))
                    .append(String.format(Locale.ROOT, "</td><td class=\"n\">%.3f</td><td>", e.counts().relativeCost(r.units())))
                    .append(Html.esc(stage(e))).append(e.note() == null ? "" : "<br><small>" + Html.esc(e.note()) + "</small>")
                    .append("</td><td>").append(link(e, e.last().status())).append("</td></tr>\n");
        }
        h.append("</table>\n<p class=\"meta\">Rows on the Pareto frontier are shaded. Cost per packet = ")
                .append(Html.esc(r.units().formula())).append(" (assumed unit costs, docs/exploration.md).</p>\n");
        h.append("<h2>How the frontier moves when a unit cost changes</h2>\n<pre>").append(Html.esc(sensitivity(r))).append("</pre>\n");
        h.append("<h2>Agreement with the manifest</h2>\n<p>");
        Exploration.Agreement a = r.agreement();
        h.append(Html.esc(a.disagreements().isEmpty()
                ? a.checked() + " verdicts compared, all agree (" + String.join(", ", a.designs()) + ")"
                : a.disagreements().size() + " of " + a.checked() + " verdicts disagree: " + String.join("; ", a.disagreements())));
        h.append("</p>\n</body></html>\n");
        return h.toString();
    }

    private static String link(Exploration.Explored e, String text) {
        return "<a href=\"designs/" + Html.esc(e.name()) + "/" + Html.esc(e.last().profile()) + "/index.html\">" + Html.esc(text) + "</a>";
    }

    /** Where a design's certificate report for a profile goes, under the exploration's directory. */
    public static Path designDir(Path dir, String design, String profile) {
        return dir.resolve("designs").resolve(design).resolve(profile);
    }
}
