using System.Globalization;
using Flywheel.Platform;

namespace Flywheel.Tests.Platform;

public sealed class MoneyTests
{
    [Theory]
    [InlineData(19900, "CNY", "199.00")]
    [InlineData(19950, "CNY", "199.50")]
    [InlineData(-5, "CNY", "-0.05")]
    [InlineData(1500, "JPY", "1500")]
    [InlineData(1234, "KWD", "1.234")]
    public void ToMajor_KeepsTheCurrencyScale(long minor, string currency, string expected) =>
        Assert.Equal(expected, Money.ToMajor(minor, currency).ToString(CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("199.50", "CNY", true, 19950)]
    [InlineData("199.505", "CNY", false, 0)]
    [InlineData("1500", "JPY", true, 1500)]
    [InlineData("15.5", "JPY", false, 0)]
    public void ToMinor_RefusesDigitsTheCurrencyDoesNotHave(string major, string currency, bool ok, long minor)
    {
        Assert.Equal(ok, Money.TryToMinor(decimal.Parse(major, CultureInfo.InvariantCulture), currency, out var result));
        Assert.Equal(minor, result);
    }
}
