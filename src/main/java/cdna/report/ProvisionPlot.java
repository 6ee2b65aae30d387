package cdna.report;

import cdna.provision.Throughput;

import java.util.Locale;

/**
 * The throughput picture of a provisioning simulation ({@link Throughput}):
 * one row per context, its achieved throughput as a bar, its cap (rate) and
 * its minimum as marks, greedy contexts and refused ones labelled.  Plain SVG,
 * built as a string in the style of the exploration plot.
 */
public final class ProvisionPlot {
    private ProvisionPlot() {}

    public static String svg(Throughput.Result r) {
        int rowH = 22, left = 150, plotW = 560, top = 64, legendW = 250;
        int n = r.contexts().size();
        double max = 0;
        for (Throughput.Context c : r.contexts()) max = Math.max(max, Math.max(c.cap(), c.achieved()));
        double scale = Math.ceil(max);
        int w = left + plotW + legendW + 40;
        int h = top + n * rowH + 70;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                + "font-family=\"Helvetica, Arial, sans-serif\" font-size=\"11\">%n", w, h, w, h));
        String title = String.format(Locale.ROOT, "Throughput of %d contexts on a link of %d packets a tick, design %s (seed %d, %,d ticks)",
                n, r.linkRate(), r.design().name(), r.seed(), r.ticks());
        s.append(String.format(Locale.ROOT, "<title>%s</title>%n", Html.esc(title)));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        s.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n", Html.esc(title)));
        s.append(String.format(Locale.ROOT, "<text x=\"20\" y=\"38\" fill=\"#546e7a\">%s</text>%n", Html.esc(r.broken().isEmpty()
                ? "RateCap, MinGuarantee and AdmissionSound held after every step of the run"
                : "properties broken in the run: " + String.join(", ", r.broken()))));
        // grid and axis
        for (int i = 0; i <= scale; i++) {
            double x = left + plotW * i / scale;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eceff1\"/>%n", x, top - 6, x, top + n * rowH));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, top + n * rowH + 14, i));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">packets per tick</text>%n",
                left + plotW / 2, top + n * rowH + 32));
        for (int i = 0; i < n; i++) {
            Throughput.Context c = r.contexts().get(i);
            int y = top + i * rowH;
            String label = String.format(Locale.ROOT, "ctx %d%s", c.id(), c.greedy() ? " greedy" : String.format(Locale.ROOT, " %d%% busy",
                    Math.round(100 * c.demand())));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\"%s>%s</text>%n", left - 8, y + 14,
                    c.admitted() ? "" : " fill=\"#9e9e9e\"", Html.esc(label)));
            double ax = plotW * c.achieved() / scale;
            String fill = !c.admitted() ? "#e0e0e0" : c.greedy() ? "#1565c0" : "#64b5f6";
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"><title>%s</title></rect>%n",
                    left, y + 4, ax, rowH - 8, fill, Html.esc(String.format(Locale.ROOT,
                            "context %d: %.2f packets a tick; rate %d, burst %d, minimum %d; most in %d ticks %d (cap %d); "
                                    + "least in %d backlogged ticks %s (owed %d)%s",
                            c.id(), c.achieved(), c.rate(), c.burst(), c.minRate(), r.window(), c.maxWindow(), c.rate() * r.window() + c.burst(),
                            r.window(), c.minBackloggedWindow() < 0 ? "none" : Integer.toString(c.minBackloggedWindow()),
                            c.minRate() * r.window(), c.admitted() ? "" : "; refused by admission"))));
            double cx = left + plotW * c.cap() / scale;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#c62828\" stroke-width=\"2.5\"/>%n",
                    cx, y + 1, cx, y + rowH - 1));
            if (c.minRate() > 0) {
                double mx = left + plotW * c.minRate() / scale;
                s.append(String.format(Locale.ROOT, "<path d=\"M%.1f %d l-5 -7 h10 z\" fill=\"#2e7d32\"/>%n", mx, y + rowH - 4));
            }
            String right = c.admitted() ? String.format(Locale.ROOT, "%.2f", c.achieved()) : "refused by admission";
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#546e7a\">%s</text>%n", left + plotW + 8, y + 14, Html.esc(right)));
        }
        int lx = left + plotW + 90, ly = top;
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"10\" fill=\"#1565c0\"/><text x=\"%d\" y=\"%d\">achieved, greedy context</text>%n",
                lx, ly, lx + 22, ly + 9));
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"10\" fill=\"#64b5f6\"/><text x=\"%d\" y=\"%d\">achieved, backlogged part of the time</text>%n",
                lx, ly + 18, lx + 22, ly + 27));
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c62828\" stroke-width=\"2.5\"/><text x=\"%d\" y=\"%d\">cap (maximum rate)</text>%n",
                lx + 8, ly + 34, lx + 8, ly + 48, lx + 22, ly + 45));
        s.append(String.format(Locale.ROOT, "<path d=\"M%d %d l-5 -7 h10 z\" fill=\"#2e7d32\"/><text x=\"%d\" y=\"%d\">minimum rate</text>%n",
                lx + 8, ly + 66, lx + 22, ly + 63));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#546e7a\">arbiter: highest-numbered first</text>%n", lx, ly + 90));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#546e7a\">among those it may serve</text>%n", lx, ly + 104));
        s.append("</svg>\n");
        return s.toString();
    }

    /** The run as a text table, one line per context. */
    public static String table(Throughput.Result r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%-4s %-7s %4s %5s %4s %8s %9s %7s %9s %7s%n", "ctx", "demand", "rate", "burst", "min",
                "achieved", "max/" + r.window() + "t", "cap", "min/" + r.window() + "t", "owed"));
        for (Throughput.Context c : r.contexts()) {
            s.append(String.format(Locale.ROOT, "%-4d %-7s %4d %5d %4d %8s %9d %7d %9s %7d%n", c.id(),
                    c.greedy() ? "greedy" : Math.round(100 * c.demand()) + "%", c.rate(), c.burst(), c.minRate(),
                    c.admitted() ? String.format(Locale.ROOT, "%.2f", c.achieved()) : "refused", c.maxWindow(),
                    c.rate() * r.window() + c.burst(), c.minBackloggedWindow() < 0 ? "-" : Integer.toString(c.minBackloggedWindow()),
                    c.minRate() * r.window()));
        }
        return s.toString();
    }
}
