package cdna.report;

import cdna.certify.Certificate;
import cdna.certify.ImplementationChecks;
import cdna.check.PropertyResult;
import cdna.check.TraceFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Writes a certification's report under reports/DESIGN/: index.html (the
 * verdict table first; each counterexample drawn as a sequence diagram beside
 * its step table, changed variables highlighted, with its Java replay; the
 * comparison with the baseline; every model run and skipped; the
 * implementation checks; provenance) and, for a complete run only,
 * certificate.json.  The page is self-contained: inline CSS and SVG, no
 * scripts, fonts or anything fetched.
 */
public final class CertificateReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CertificateReport() {}

    /** The certificate as JSON (records serialised field by field). */
    public static String json(Certificate c) throws IOException {
        return JSON.writeValueAsString(c) + "\n";
    }

    /**
     * Writes index.html, and certificate.json if the certification completed;
     * an incomplete one deletes any certificate.json left from an earlier run.
     *
     * @param root the project root, against which trace paths are resolved
     */
    public static void write(Path root, Path dir, Certificate c) throws IOException {
        Files.createDirectories(dir);
        Path cert = dir.resolve("certificate.json");
        if (c.status().equals(Certificate.INCOMPLETE)) Files.deleteIfExists(cert);
        TraceFiles.writeAtomically(dir.resolve("index.html"), html(root, dir, c));
        if (!c.status().equals(Certificate.INCOMPLETE)) TraceFiles.writeAtomically(cert, json(c));
    }

    static String html(Path root, Path dir, Certificate c) {
        StringBuilder h = new StringBuilder();
        String title = "cdna certificate: " + c.design().name();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(Html.esc(title))
                .append("</title>\n<style>\n").append(CSS).append("</style></head><body>\n");
        String cls = c.status().equals(Certificate.CERTIFIED) ? "ok" : c.status().equals(Certificate.INCOMPLETE) ? "warn" : "bad";
        h.append("<h1>").append(Html.esc(c.design().name())).append(" <span class=\"status ").append(cls).append("\">")
                .append(Html.esc(c.status().toUpperCase(Locale.ROOT))).append("</span></h1>\n");
        if (c.status().equals(Certificate.INCOMPLETE)) {
            h.append("<p class=\"banner\">This run was interrupted: the verdicts below are only what finished, and no "
                    + "certificate.json was written.</p>\n");
        }
        h.append("<p>").append(Html.esc(c.design().description())).append("</p>\n");
        h.append(String.format(Locale.ROOT, "<p class=\"meta\">Profile <b>%s</b> · %d models run · %d not applicable · %.0f s · %s</p>%n",
                Html.esc(c.profile()), c.models().size(), c.skipped().size(), c.seconds(),
                c.provenance() == null ? "" : Html.esc(c.provenance().date())));

        explorations(h, dir, c.design().name());
        verdictTable(h, c);
        design(h, c);
        comparison(h, c);
        Counterexamples.section(h, root, dir, c);
        models(h, c);
        Exercised.section(h, root, dir, c);
        implementation(h, c);
        conformance(h, c);
        provenance(h, c);
        h.append("</body></html>\n");
        return h.toString();
    }

    private static void verdictTable(StringBuilder h, Certificate c) {
        h.append("<h2 id=\"verdicts\">Verdicts</h2>\n<table class=\"verdicts\"><thead><tr><th>property</th><th>verdict</th>"
                + "<th>evidence</th><th>implementation</th></tr></thead><tbody>\n");
        for (Certificate.PropertyVerdict v : c.properties()) {
            h.append("<tr><td><a href=\"#p-").append(Html.esc(v.property())).append("\">").append(Html.esc(v.property()))
                    .append("</a>").append(v.required() ? "" : " <small>(not required)</small>").append("</td><td class=\"v ")
                    .append(verdictClass(v.verdict())).append("\">").append(Html.esc(v.verdict())).append("</td><td>")
                    .append(Html.esc(v.why())).append("</td><td>").append(Html.esc(v.javaNote())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    static String verdictClass(String v) {
        return switch (v) {
            case "holds" -> "holds";
            case "violated" -> "violated";
            case "vacuous" -> "vacuous";
            case "not applicable" -> "na";
            default -> "other";
        };
    }

    /**
     * Links to the design-space explorations this design is part of: the one
     * that wrote this report (reports/explore/BASE/designs/DESIGN/PROFILE), or,
     * for a report of bin/cdna certify (reports/DESIGN), every exploration in
     * reports/explore/ that explored a design of this name.
     */
    static void explorations(StringBuilder h, Path dir, String design) {
        List<String> links = new java.util.ArrayList<>();
        Path abs = dir.toAbsolutePath().normalize();
        Path designs = abs.getParent() == null ? null : abs.getParent().getParent();
        if (designs != null && designs.getFileName() != null && designs.getFileName().toString().equals("designs")
                && designs.getParent() != null && designs.getParent().getParent() != null
                && designs.getParent().getParent().getFileName().toString().equals("explore")) {
            links.add("<a href=\"../../../index.html\">the exploration from " + Html.esc(designs.getParent().getFileName().toString()) + "</a>");
        } else if (abs.getParent() != null && Files.isDirectory(abs.getParent().resolve("explore"))) {
            try (var bases = Files.list(abs.getParent().resolve("explore"))) {
                for (Path b : bases.sorted().toList()) {
                    if (Files.isDirectory(b.resolve("designs").resolve(design)) && Files.exists(b.resolve("index.html"))) {
                        links.add("<a href=\"../explore/" + Html.esc(b.getFileName().toString()) + "/index.html\">the exploration from "
                                + Html.esc(b.getFileName().toString()) + "</a>");
                    }
                }
            } catch (IOException e) {
                // no links: the report stands without them
            }
        }
        if (!links.isEmpty()) h.append("<p class=\"meta\">Explored in design-space exploration: ").append(String.join(", ", links)).append("</p>\n");
    }

    private static void design(StringBuilder h, Certificate c) {
        Certificate.DesignInfo d = c.design();
        h.append("<h2>Design</h2>\n<p>").append(d.file() == null ? "" : "File <code>" + Html.esc(d.file()) + "</code>. ")
                .append("Protection <b>").append(Html.esc(d.protection())).append("</b>");
        if (d.baseline() != null) {
            h.append("; compared with <b>").append(Html.esc(d.baseline())).append("</b>, ");
            if (d.changed().isEmpty()) h.append("no switch differs.");
            else h.append(d.changed().size()).append(d.changed().size() == 1 ? " switch differs:" : " switches differ:");
        }
        h.append("</p>\n");
        if (!d.changed().isEmpty()) {
            h.append("<table><thead><tr><th>switch</th><th>this design</th><th>baseline</th></tr></thead><tbody>\n");
            for (Map.Entry<String, List<Object>> e : d.changed().entrySet()) {
                h.append("<tr class=\"changed\"><td>").append(Html.esc(e.getKey())).append("</td><td>")
                        .append(Html.esc(String.valueOf(e.getValue().get(1)))).append("</td><td>")
                        .append(Html.esc(String.valueOf(e.getValue().get(0)))).append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
        }
        h.append("<details><summary>all ").append(d.switches().size()).append(" switches</summary>\n<table><tbody>\n");
        for (Map.Entry<String, Object> e : d.switches().entrySet()) {
            h.append("<tr").append(d.changed().containsKey(e.getKey()) ? " class=\"changed\"" : "").append("><td>")
                    .append(Html.esc(e.getKey())).append("</td><td>").append(Html.esc(String.valueOf(e.getValue())))
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table></details>\n");
    }

    private static void comparison(StringBuilder h, Certificate c) {
        Certificate.Comparison cmp = c.comparison();
        if (cmp == null) return;
        h.append("<h2>Against the baseline</h2>\n");
        if (cmp.source().equals("this design is the baseline")) {
            h.append("<p>This design is the baseline of its protection mode.</p>\n");
            return;
        }
        h.append("<p>Baseline <b>").append(Html.esc(cmp.baseline())).append("</b>; its verdicts are ").append(Html.esc(cmp.source()))
                .append(".</p>\n");
        if (cmp.changes().isEmpty()) {
            h.append("<p>No verdict changed.</p>\n");
            return;
        }
        h.append("<table><thead><tr><th>property</th><th>baseline</th><th>this design</th></tr></thead><tbody>\n");
        for (Certificate.Change ch : cmp.changes()) {
            h.append("<tr><td>").append(Html.esc(ch.property())).append("</td><td class=\"v ").append(verdictClass(ch.baselineVerdict()))
                    .append("\">").append(Html.esc(ch.baselineVerdict())).append("</td><td class=\"v ").append(verdictClass(ch.verdict()))
                    .append("\">").append(Html.esc(ch.verdict())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void models(StringBuilder h, Certificate c) {
        h.append("<h2>Models</h2>\n<table><thead><tr><th>model</th><th>bounds</th><th>property</th><th>verdict</th>"
                + "<th>distinct states</th><th>depth</th><th>seconds</th></tr></thead><tbody>\n");
        for (Certificate.ModelRun m : c.models()) {
            boolean first = true;
            for (PropertyResult r : m.results()) {
                h.append("<tr>");
                if (first) {
                    h.append("<td rowspan=\"").append(m.results().size()).append("\">").append(Html.esc(m.model()))
                            .append("<br><small>").append(Html.esc(m.module())).append(" · ").append(Html.esc(m.cfg()))
                            .append("</small></td><td rowspan=\"").append(m.results().size()).append("\">")
                            .append(Html.esc(m.bounds())).append("</td>");
                    first = false;
                }
                h.append("<td>").append(Html.esc(r.property())).append("</td><td class=\"v ").append(verdictClass(r.verdict()))
                        .append("\" title=\"").append(Html.esc(r.message())).append("\">").append(Html.esc(r.verdict()))
                        .append("</td><td class=\"n\">").append(r.distinctStates() < 0 ? "-" : String.format(Locale.ROOT, "%,d", r.distinctStates()))
                        .append("</td><td class=\"n\">").append(r.depth() == null ? "-" : r.depth()).append("</td><td class=\"n\">")
                        .append(String.format(Locale.ROOT, "%.1f", r.seconds())).append("</td></tr>\n");
            }
        }
        h.append("</tbody></table>\n");
        if (!c.skipped().isEmpty()) {
            h.append("<h3>Models that do not apply to this design</h3>\n<ul>\n");
            for (Certificate.Skipped s : c.skipped()) {
                h.append("<li><b>").append(Html.esc(s.model())).append("</b> (").append(Html.esc(s.bounds())).append("): ")
                        .append(Html.esc(s.why())).append("</li>\n");
            }
            h.append("</ul>\n");
        }
    }

    private static void implementation(StringBuilder h, Certificate c) {
        ImplementationChecks.Result r = c.implementation();
        h.append("<h2>Implementation checks</h2>\n");
        if (r == null) {
            h.append("<p>Not run.</p>\n");
            return;
        }
        h.append(String.format(Locale.ROOT, "<p>The Java reference implementation ran under this design with the isolation "
                + "checker judging every step: %,d seeded random runs (%d each on the TLC-sized machine and a roomier one, "
                + "%d steps, guests malicious half the time, contexts revoked and reassigned at random) and one long run "
                + "(4 guests, 64 pages, up to %,d steps), then %d saved fuzz inputs replayed under this design, then random migrations "
                + "on the handoff's twin to destinations with and without CDNA (counted among the runs): %,d steps, "
                + "%,d DMA accesses checked, %,d refused by the IOMMU, %,d reassignments, %.1f s. Seed %d "
                + "(<code>bin/cdna certify --seed %d</code> repeats it).</p>%n",
                r.runs(), ImplementationChecks.RUNS, ImplementationChecks.STEPS, ImplementationChecks.LONG_STEPS,
                r.corpusInputs(), r.steps(), r.accesses(), r.iommuFaults(), r.reassignments(), r.seconds(), r.seed(), r.seed()));
        if (r.findings().isEmpty()) h.append("<p>No violation of any property.</p>\n");
        else {
            h.append("<ul>\n");
            for (ImplementationChecks.Finding f : r.findings().values()) {
                h.append("<li><b>").append(Html.esc(f.property())).append("</b>: ").append(Html.esc(f.source()))
                        .append(f.runSeed() == null ? "" : ", run seed " + f.runSeed()).append(": ")
                        .append(Html.esc(String.valueOf(f.violation()))).append("</li>\n");
            }
            h.append("</ul>\n");
        }
    }

    private static void conformance(StringBuilder h, Certificate c) {
        cdna.certify.ConformanceChecks.Result r = c.conformance();
        h.append("<h2>Spec and code in step</h2>\n");
        if (r == null) {
            h.append("<p>Not run.</p>\n");
            return;
        }
        h.append("<p>At small bounds, both directions: every edge of each small host model's state graph replayed on the Java "
                + "implementation from a snapshot of its source state (spec to code), and a seeded run of the implementation "
                + "on each small model logged step by step and checked by TLC to be a behaviour of its spec, every step the "
                + "action it names (code to spec). Seed ").append(r.seed()).append(".</p>\n");
        h.append("<table><thead><tr><th>check</th><th>model</th><th>result</th><th>s</th></tr></thead><tbody>\n");
        for (cdna.certify.ConformanceChecks.Run x : r.runs()) {
            h.append("<tr><td>").append(Html.esc(x.kind())).append("</td><td>").append(Html.esc(x.model())).append("</td><td class=\"")
                    .append(x.skipped() ? "" : x.ok() ? "ok" : "bad").append("\">").append(Html.esc(x.summary())).append("</td><td>")
                    .append(String.format(Locale.ROOT, "%.1f", x.seconds())).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static void provenance(StringBuilder h, Certificate c) {
        Certificate.Provenance p = c.provenance();
        if (p == null) return;
        h.append("<h2>Provenance</h2>\n<table><tbody>\n");
        row(h, "command", "<code>" + Html.esc(p.commandLine()) + "</code>");
        row(h, "git commit", Html.esc(p.gitCommit()));
        row(h, "TLC", Html.esc(p.tlcVersion()));
        row(h, "Java", Html.esc(p.java()));
        row(h, "machine", Html.esc(p.machine()));
        row(h, "date", Html.esc(p.date()));
        row(h, "seed", String.valueOf(p.seed()));
        h.append("</tbody></table>\n");
        Set<String> cmds = new LinkedHashSet<>(p.commands());
        h.append("<details><summary>").append(cmds.size()).append(" TLC command lines</summary><pre class=\"cmds\">");
        for (String cmd : cmds) h.append(Html.esc(cmd)).append("\n\n");
        h.append("</pre></details>\n");
    }

    private static void row(StringBuilder h, String k, String v) {
        h.append("<tr><th>").append(Html.esc(k)).append("</th><td>").append(v).append("</td></tr>\n");
    }

    /** Every TLC command line behind the results, in order, without repeats. */
    public static List<String> commands(List<Certificate.ModelRun> runs) {
        Set<String> out = new LinkedHashSet<>();
        for (Certificate.ModelRun m : runs) for (PropertyResult r : m.results()) out.addAll(r.commands());
        return new ArrayList<>(out);
    }

    private static final String CSS = """
            body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #263238; max-width: 1500px; }
            h1 { font-size: 26px; } h2 { margin-top: 32px; border-bottom: 1px solid #cfd8dc; padding-bottom: 4px; }
            table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #cfd8dc; padding: 4px 8px; vertical-align: top; text-align: left; }
            th { background: #eceff1; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
            .status { padding: 3px 10px; border-radius: 4px; color: #fff; font-size: 18px; }
            .status.ok { background: #2e7d32; } .status.bad { background: #c62828; } .status.warn { background: #ef6c00; }
            td.v, span.v { font-weight: bold; color: #fff; }
            .v.holds { background: #2e7d32; } .v.violated { background: #c62828; } .v.na { background: #90a4ae; } .v.other { background: #ef6c00; }
            .v.vacuous { background: #6a1b9a; } td.vacuous { color: #fff; }
            table.coverage tr.dead td { background: #f3e5f5; } table.coverage tr.idle td { color: #90a4ae; }
            span.v { padding: 1px 6px; border-radius: 3px; font-size: 15px; }
            tr.changed td { background: #fff3e0; } .meta { color: #546e7a; }
            .banner { background: #ffe0b2; border: 1px solid #ef6c00; padding: 8px; font-weight: bold; }
            .replay.ok { color: #2e7d32; } .replay.bad { color: #c62828; }
            .trace { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; }
            .diagram { overflow-x: auto; border: 1px solid #cfd8dc; background: #fafafa; }
            table.steps { font-size: 13px; max-width: 700px; } table.steps tr.last td { background: #ffebee; }
            .chg ins { background: #fff59d; text-decoration: none; } .chg del { color: #90a4ae; }
            code, pre { font-family: "SFMono-Regular", Consolas, monospace; font-size: 12px; }
            pre.cmds { white-space: pre-wrap; word-break: break-all; }
            """;
}
