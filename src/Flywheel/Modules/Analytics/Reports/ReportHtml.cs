using System.Globalization;
using System.Net;
using System.Text;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Writes a report as one self-contained HTML page (styles inline, charts as embedded PNG), so that the file can be
/// downloaded, dropped in a folder or attached and still read the same. Sections follow the review structure:
/// background and goals → core metrics → analysis → problems → suggestions.
/// </summary>
public static class ReportHtml
{
    public static string Write(ReportFigures f, IReadOnlyList<(string Name, byte[] Png)> charts)
    {
        var t = ReportText.For(f.Locale);
        var html = new StringBuilder();
        string E(string? s) => WebUtility.HtmlEncode(s ?? "");
        html.Append(CultureInfo.InvariantCulture, $$"""
            <!DOCTYPE html>
            <html lang="{{E(t.Locale)}}"><head><meta charset="utf-8"><title>{{E(f.Name)}} · {{E(t.Title(f.Cadence))}} {{f.From:yyyy-MM-dd}} – {{f.To:yyyy-MM-dd}}</title>
            <style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}
            td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}td:first-child,th:first-child{text-align:left}
            .bad{color:#b00020}.good{color:#1b5e20}.rule{font-family:monospace;color:#555}img{max-width:100%}</style></head><body>
            <h1>{{E(f.Name)}} · {{E(t.Title(f.Cadence))}}</h1>
            <p>{{E(t.Period)}}: {{f.From:yyyy-MM-dd}} – {{f.To:yyyy-MM-dd}} ({{E(t.ComparedWith)}} {{f.PreviousFrom:yyyy-MM-dd}} – {{f.PreviousTo:yyyy-MM-dd}}) · {{E(t.TimeZone)}}: {{E(f.TimeZone)}} · {{E(f.Currency)}}</p>
            <h2>{{E(t.Background)}}</h2>
            <p>{{E(f.Background ?? t.NoBackground)}}</p>
            """);
        if (f.Goals is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{E(t.GoalsLabel)}:</strong> {E(f.Goals)}</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(t.CoreMetrics)}</h2>\n<table><tr><th></th><th>{E(t.Current)}</th><th>{E(t.PreviousLabel)}</th><th>{E(t.Change)}</th><th>{E(t.Target)}</th><th>{E(t.Status)}</th></tr>\n");
        foreach (var m in f.Metrics)
        {
            var status = m.TargetMet switch { true => $"<span class=\"good\">{E(t.Met)}</span>", false => $"<span class=\"bad\">{E(t.NotMet)}</span>", _ => E(t.NoTarget) };
            html.Append(CultureInfo.InvariantCulture,
                $"<tr><td>{E(t.Metric(m.Metric))}</td><td>{Number(m.Current)}</td><td>{Number(m.Previous)}</td><td class=\"{(m.Change < 0 ? "bad" : "good")}\">{Percent(m.Change)}</td><td>{Number(m.Target)}</td><td>{status}</td></tr>\n");
        }
        html.Append("</table>\n");

        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(t.Analysis)}</h2>\n");
        foreach (var (name, png) in charts)
        {
            var title = name == ReportCharts.Gmv ? t.GmvTrend : t.TrafficTrend;
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(title)}</h3><img alt=\"{E(title)}\" src=\"data:image/png;base64,{Convert.ToBase64String(png)}\">\n");
        }
        if (f.GmvChange is { } g)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(t.Factors)}</h3>\n");
            if (g.Factors is { } factors)
            {
                html.Append(CultureInfo.InvariantCulture, $"<table><tr><th></th><th>{E(t.PreviousLabel)}</th><th>{E(t.Current)}</th><th>{E(t.Change)}</th><th>{E(t.Contribution)}</th></tr>\n");
                foreach (var x in factors)
                {
                    html.Append(CultureInfo.InvariantCulture,
                        $"<tr><td>{E(t.Factor(x.Factor))}</td><td>{Number(x.Previous)}</td><td>{Number(x.Current)}</td><td>{Percent((decimal?)x.RelativeChange)}</td><td>{Number(x.Contribution)}</td></tr>\n");
                }
                html.Append(CultureInfo.InvariantCulture, $"<tr><th>GMV</th><th>{Number(g.Previous)}</th><th>{Number(g.Current)}</th><th>{Percent((decimal?)g.RelativeChange)}</th><th>{Number(g.Change)}</th></tr></table>\n");
            }
            else
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{E(t.FactorsUnavailable)}</p>\n");
            }
            var path = string.Join(" → ", g.Path.Select(s => s.Kind switch
            {
                "metric" => $"GMV {Signed(s.Contribution)}",
                "factor" => $"{t.Factor(s.Name)} {Signed(s.Contribution)} ({Percent((decimal?)s.ShareOfChange)})",
                _ => $"{t.Dimension(s.Name)} = {s.Value} {Signed(s.Contribution)} ({Percent((decimal?)s.ShareOfChange)})",
            }));
            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{E(t.DrillPath)}:</strong> {E(path)}</p>\n");
        }
        if (f.TopMovers.Count > 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<h3>{E(t.TopMovers)}</h3>\n<table><tr><th></th><th>{E(t.Value)}</th><th>{E(t.PreviousLabel)}</th><th>{E(t.Current)}</th><th>{E(t.Change)}</th><th>{E(t.Share)}</th></tr>\n");
            foreach (var m in f.TopMovers)
            {
                html.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{E(t.Dimension(m.Dimension))}</td><td>{E(m.Value)}</td><td>{Number(m.Previous)}</td><td>{Number(m.Current)}</td><td>{Signed(m.Change)}</td><td>{Percent((decimal?)m.ShareOfChange)}</td></tr>\n");
            }
            html.Append("</table>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(t.ProblemsTitle)}</h2>\n");
        html.Append(f.Problems.Count == 0 ? $"<p>{E(t.NoProblems)}</p>\n"
            : "<ol>" + string.Concat(f.Problems.Select(p => $"<li id=\"{E(p.Id)}\">{E(t.Problem(p))}</li>")) + "</ol>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h2>{E(t.SuggestionsTitle)}</h2>\n");
        html.Append(f.Suggestions.Count == 0 ? $"<p>{E(t.NoSuggestions)}</p>\n"
            : "<ol>" + string.Concat(f.Suggestions.Select(s =>
                $"<li>{E(s.Text)} <span class=\"rule\">[{E(t.RuleLabel)}: {E(s.Rule)}; {E(t.Answers)}: {E(string.Join(", ", s.Problems))}]</span></li>")) + "</ol>\n");
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private static string Number(decimal? value) => value is { } v ? v.ToString("#,0.####", CultureInfo.InvariantCulture) : "–";

    private static string Signed(decimal value) => (value > 0 ? "+" : "") + value.ToString("#,0.####", CultureInfo.InvariantCulture);

    private static string Percent(decimal? ratio) => ratio is { } r ? (r > 0 ? "+" : "") + (r * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %" : "–";
}
