using System.Globalization;
using Flywheel.Ui;

namespace Flywheel.Tests.Ui;

public sealed class MoneyTextTests
{
    private static readonly CultureInfo Chinese = new("zh-CN");
    private static readonly CultureInfo English = new("en");

    [Theory]
    // 1234567 fen = ¥12,345.67: two decimals for CNY, grouped by thousands in both languages.
    [InlineData(1234567L, "CNY", "zh-CN", "¥12,345.67")]
    [InlineData(1234567L, "CNY", "en", "¥12,345.67")]
    // Whole yuan keep their two decimals: 19900 fen is ¥199.00, never ¥199.
    [InlineData(19900L, "CNY", "zh-CN", "¥199.00")]
    // JPY has no minor unit: 1234 is ¥1,234.
    [InlineData(1234L, "JPY", "en", "¥1,234")]
    [InlineData(-550L, "USD", "en", "-$5.50")]
    [InlineData(0L, "EUR", "en", "€0.00")]
    public void Format_ShowsSymbolScaleAndGrouping(long minor, string currency, string culture, string expected) =>
        Assert.Equal(expected, MoneyText.Format(minor, currency, culture == "en" ? English : Chinese));

    [Fact]
    public void Format_DoesNotRoundAnAmountOfTheCurrencysScale()
    {
        // 0.01 below a round figure stays visible.
        Assert.Equal("¥199.99", MoneyText.Format(19999L, "CNY", Chinese));
        Assert.Equal("¥0.01", MoneyText.Format(1L, "CNY", Chinese));
    }

    [Fact]
    public void Format_UnknownCurrencyFallsBackToItsCode() =>
        Assert.Equal("CHF 10.00", MoneyText.Format(1000L, "CHF", English));
}
