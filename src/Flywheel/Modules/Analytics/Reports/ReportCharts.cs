using ScottPlot;

namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// Draws a report's charts as PNG on the server (ScottPlot over SkiaSharp), so that they show in any mail or file viewer
/// without scripts. Labels inside the images are dates and numbers only: the machine may have no CJK font, and the
/// titles are written around the images in the report's language.
/// </summary>
public static class ReportCharts
{
    public const string Gmv = "gmv";
    public const string Traffic = "traffic";
    public static readonly IReadOnlyList<string> Names = [Gmv, Traffic];
    private const int Width = 900;
    private const int Height = 320;

    public static IReadOnlyList<(string Name, byte[] Png)> Draw(IReadOnlyList<ReportDay> days, string currency)
    {
        var dates = days.Select(d => d.Date.ToDateTime(TimeOnly.MinValue).ToOADate()).ToArray();
        return
        [
            (Gmv, Line(dates, [(days.Select(d => (double)d.Gmv).ToArray(), $"GMV ({currency})", Colors.C0)])),
            (Traffic, Line(dates,
            [
                (days.Select(d => (double)d.Uv).ToArray(), "UV", Colors.C1),
                (days.Select(d => (double)d.PaidOrders).ToArray(), "Paid orders", Colors.C2),
            ])),
        ];
    }

    private static byte[] Line(double[] dates, IReadOnlyList<(double[] Values, string Label, Color Color)> series)
    {
        var plot = new Plot();
        foreach (var (values, label, color) in series)
        {
            var line = plot.Add.Scatter(dates, values);
            line.LegendText = label;
            line.Color = color;
            line.LineWidth = 2;
            line.MarkerSize = dates.Length > 40 ? 0 : 5;
        }
        plot.Axes.DateTimeTicksBottom();
        plot.Axes.Margins(bottom: 0);
        plot.ShowLegend(Alignment.UpperLeft);
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
