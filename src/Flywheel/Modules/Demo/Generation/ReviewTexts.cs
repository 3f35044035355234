namespace Flywheel.Modules.Demo.Generation;

/// <summary>Review texts by rating band, in Chinese (most reviews) and English; "{0}" is the product type.</summary>
public static class ReviewTexts
{
    private static readonly string[] ChineseGood =
    [
        "{0}质量很好，物流也快，会回购！", "包装精致，{0}和描述一致，五星好评。", "用了一段时间再来评价，{0}很好用，推荐。",
        "第二次买了，{0}一如既往的好。", "大促价格很划算，{0}性价比高。", "客服态度很好，{0}发货快，满意。",
        "送给家人的，{0}很喜欢。", "颜值高，{0}做工扎实，值得入手。",
    ];

    private static readonly string[] ChineseOkay =
    [
        "{0}还行，中规中矩吧。", "物流有点慢，{0}本身还可以。", "{0}和预期差不多，价格再低点就好了。", "一般般，{0}没有宣传的那么好。",
    ];

    private static readonly string[] ChineseBad =
    [
        "{0}质量太差了，不推荐。", "收到的{0}有破损，已申请退款。", "和图片差别很大，{0}很失望。", "用了两次{0}就坏了，售后也不理人。",
        "尺码不对，{0}退货了。",
    ];

    private static readonly string[] EnglishGood =
    [
        "Great quality and fast delivery. Will buy again!", "Exactly as described, very happy with it.", "Second purchase, still excellent.",
        "Good value during the sale. Recommended.", "Well packaged and works perfectly.",
    ];

    private static readonly string[] EnglishOkay = ["It's okay, nothing special.", "Decent, but shipping took a while.", "Fine for the price."];

    private static readonly string[] EnglishBad =
        ["Poor quality, would not recommend.", "Arrived damaged; asked for a refund.", "Not what the pictures show. Disappointed."];

    public static string For(DemoRandom rng, int rating, bool english, string productType)
    {
        var pool = (rating, english) switch
        {
            (>= 4, false) => ChineseGood,
            (3, false) => ChineseOkay,
            (_, false) => ChineseBad,
            (>= 4, true) => EnglishGood,
            (3, true) => EnglishOkay,
            _ => EnglishBad,
        };
        return string.Format(System.Globalization.CultureInfo.InvariantCulture, rng.Pick(pool), productType);
    }

    public static readonly string[] RefundReasons = ["不想要了", "质量问题", "尺码/规格不合适", "与描述不符", "物流太慢", "发错货"];
}
