namespace Flywheel.Modules.Demo.Generation;

/// <summary>A kind of shopper: who they are and how they shop.</summary>
/// <remarks><para><c>Share</c>: Share of customers.</para> <para><c>VisitsPerWeek</c>: Mean sessions a week while active.</para> <para><c>CategoryWeights</c>: Interest in each category, in the order of <see cref="Catalogue.Categories"/>.</para> <para><c>PriceBias</c>: −1 picks the cheapest of a few candidates, +1 the dearest, 0 any.</para> <para><c>CouponUse</c>: Chance of using a coupon on an order when one applies.</para> <para><c>RefundFactor</c>: Multiplies the category's refund rate.</para></remarks>
public sealed record Persona(
    string Key, string Name, double Share, int MinAge, int MaxAge, double FemaleShare, double VisitsPerWeek, double[] CategoryWeights,
    int PriceBias, double CouponUse, double RefundFactor, double Loyalty);

/// <summary>
/// An acquisition channel: how customers first arrive, what one costs, and how good they turn out to be.
/// <paramref name="Quality"/> multiplies activity and divides the chance of going dormant.
/// </summary>
public sealed record AcquisitionChannel(string Key, string Name, double Share, decimal CostPerCustomer, double Quality, string[] UtmSources, string? UtmMedium, string? Referrer);

/// <summary>A city with its province and a weight for drawing customers' homes.</summary>
public sealed record City(string Name, string Province, double Weight);

/// <summary>Who the demo shop's customers are: personas, channels, cities and Chinese names.</summary>
public static class People
{
    public static readonly Persona[] Personas =
    [
        //                                                                   beauty baby home food elec apparel
        new("young_professional", "年轻白领", 0.35, 23, 34, 0.52, 1.3, [0.22, 0.02, 0.12, 0.22, 0.22, 0.20], 0, 0.35, 1.0, 0.55),
        new("new_mother", "新手妈妈", 0.20, 24, 37, 1.00, 1.7, [0.14, 0.50, 0.16, 0.10, 0.03, 0.07], 0, 0.45, 0.9, 0.75),
        new("student", "学生党", 0.25, 18, 23, 0.56, 1.4, [0.26, 0.00, 0.06, 0.24, 0.14, 0.30], -1, 0.70, 1.25, 0.40),
        new("quality_seeker", "品质生活家", 0.20, 30, 55, 0.55, 0.9, [0.15, 0.05, 0.25, 0.18, 0.22, 0.15], 1, 0.15, 0.7, 0.65),
    ];

    public static readonly AcquisitionChannel[] Channels =
    [
        new("search_ads", "搜索广告", 0.18, 38m, 1.10, ["baidu", "sogou", "360"], "cpc", "https://www.baidu.com/"),
        new("feed_ads", "信息流广告", 0.20, 26m, 0.75, ["douyin", "kuaishou", "toutiao"], "feed", null),
        new("social", "社交分享", 0.15, 12m, 0.90, ["wechat", "weibo"], "social", null),
        new("kol", "KOL种草", 0.12, 55m, 1.00, ["xiaohongshu", "bilibili", "douyin"], "kol", null),
        new("referral", "老带新", 0.10, 15m, 1.35, ["referral"], "referral", null),
        new("organic", "自然流量", 0.17, 0m, 1.15, [], null, "https://www.baidu.com/"),
        new("offline_events", "线下活动", 0.08, 70m, 1.25, ["offline"], "qrcode", null),
    ];

    /// <summary>
    /// Cities weighted by resident population from the Seventh National Population Census (2020) city communiqués
    /// (第七次全国人口普查公报, millions, rounded), so that big cities dominate as they do in online retail. A tail of
    /// smaller cities stands for the rest of the country.
    /// </summary>
    public static readonly City[] Cities =
    [
        new("上海", "上海", 24.9), new("北京", "北京", 21.9), new("重庆", "重庆", 32.1), new("成都", "四川", 20.9),
        new("广州", "广东", 18.7), new("深圳", "广东", 17.6), new("天津", "天津", 13.9), new("西安", "陕西", 13.0),
        new("苏州", "江苏", 12.7), new("郑州", "河南", 12.6), new("武汉", "湖北", 12.3), new("杭州", "浙江", 11.9),
        new("石家庄", "河北", 11.2), new("东莞", "广东", 10.5), new("青岛", "山东", 10.1), new("长沙", "湖南", 10.0),
        new("哈尔滨", "黑龙江", 10.0), new("佛山", "广东", 9.5), new("宁波", "浙江", 9.4), new("合肥", "安徽", 9.4),
        new("南京", "江苏", 9.3), new("济南", "山东", 9.2), new("沈阳", "辽宁", 9.1), new("南宁", "广西", 8.7),
        new("昆明", "云南", 8.5), new("福州", "福建", 8.3), new("大连", "辽宁", 7.5), new("南昌", "江西", 6.3),
        new("贵阳", "贵州", 6.0), new("厦门", "福建", 5.2), new("无锡", "江苏", 7.5), new("温州", "浙江", 9.6),
        new("珠海", "广东", 2.4), new("太原", "山西", 5.3), new("兰州", "甘肃", 4.4), new("海口", "海南", 2.9),
    ];

    /// <summary>The most common surnames, weighted roughly by their share of the population (公安部 2020 surname ranking).</summary>
    private static readonly (string Name, double Weight)[] Surnames =
    [
        ("王", 7.1), ("李", 7.0), ("张", 6.6), ("刘", 5.4), ("陈", 4.6), ("杨", 3.1), ("黄", 2.4), ("赵", 2.3), ("吴", 2.0),
        ("周", 1.9), ("徐", 1.6), ("孙", 1.5), ("马", 1.4), ("朱", 1.3), ("胡", 1.2), ("郭", 1.1), ("何", 1.0), ("林", 1.0),
        ("高", 1.0), ("罗", 0.9), ("郑", 0.9), ("梁", 0.8), ("谢", 0.7), ("宋", 0.7), ("唐", 0.7), ("许", 0.6), ("韩", 0.6),
        ("冯", 0.6), ("邓", 0.6), ("曹", 0.6), ("彭", 0.5), ("曾", 0.5), ("肖", 0.5), ("田", 0.5), ("董", 0.5), ("潘", 0.4),
        ("袁", 0.4), ("蔡", 0.4), ("蒋", 0.4), ("余", 0.4), ("于", 0.4), ("杜", 0.4), ("叶", 0.4), ("程", 0.4), ("魏", 0.3),
        ("苏", 0.3), ("吕", 0.3), ("丁", 0.3), ("任", 0.3), ("沈", 0.3),
    ];

    private static readonly string[] FemaleGiven =
        ["欣怡", "梓涵", "诗涵", "雨桐", "思琪", "佳怡", "可馨", "雅婷", "晓雯", "婉清", "静", "丽", "敏", "婷", "芳", "娜", "雪", "悦", "颖", "琳",
         "子萱", "一诺", "梦洁", "慧敏", "若曦", "语嫣", "心怡", "雨欣", "晨曦", "佳琪"];

    private static readonly string[] MaleGiven =
        ["浩然", "子轩", "宇航", "俊杰", "梓豪", "博文", "昊天", "明轩", "志强", "伟", "磊", "军", "勇", "杰", "涛", "斌", "超", "鹏", "辉", "健",
         "一鸣", "子墨", "嘉懿", "睿", "宇", "泽宇", "天佑", "文博", "思远", "晨阳"];

    private static readonly double[] SurnameCumulative = Cumulative(Surnames.Select(s => s.Weight));
    public static readonly double[] CityCumulative = Cumulative(Cities.Select(c => c.Weight));
    public static readonly double[] PersonaCumulative = Cumulative(Personas.Select(p => p.Share));
    public static readonly double[] ChannelCumulative = Cumulative(Channels.Select(c => c.Share));

    public static string Name(DemoRandom rng, bool female) =>
        Surnames[rng.FromCumulative(SurnameCumulative)].Name + rng.Pick(female ? FemaleGiven : MaleGiven);

    /// <summary>A mobile number of a real Chinese carrier prefix (the subscriber part is random).</summary>
    public static string Phone(DemoRandom rng) =>
        rng.Pick(Prefixes) + rng.Between(10_000_000, 99_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static readonly string[] Prefixes = ["138", "139", "136", "150", "151", "158", "186", "185", "177", "188", "199", "135"];

    public static double[] Cumulative(IEnumerable<double> weights)
    {
        var sum = 0.0;
        return weights.Select(w => sum += w).ToArray();
    }
}
