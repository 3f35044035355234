namespace Flywheel.Modules.Analytics.Reports;

/// <summary>
/// The words of a report in its subscription's language (en or zh-CN). Reports are written by the server for people
/// who may never open the console, so their text lives here rather than in the console's resources.
/// </summary>
public sealed class ReportText
{
    public static readonly IReadOnlyList<string> Locales = ["en", "zh-CN"];

    private readonly bool zh;

    private ReportText(bool zh) => this.zh = zh;

    public static ReportText For(string locale) => new(locale == "zh-CN");

    public string Locale => zh ? "zh-CN" : "en";

    private string T(string en, string cn) => zh ? cn : en;

    public string Title(string cadence) => cadence switch
    {
        ReportCadences.Weekly => T("Weekly report", "周报"),
        ReportCadences.Monthly => T("Monthly report", "月报"),
        _ => T("Quarterly report", "季报"),
    };

    public string Background => T("1. Background and goals", "一、背景与目标");
    public string CoreMetrics => T("2. Core metrics", "二、核心指标");
    public string Analysis => T("3. Analysis", "三、分析");
    public string ProblemsTitle => T("4. Problems found", "四、发现的问题");
    public string SuggestionsTitle => T("5. Suggestions", "五、建议");
    public string Period => T("Period", "周期");
    public string ComparedWith => T("compared with", "对比");
    public string TimeZone => T("Time zone", "时区");
    public string NoBackground => T("No background was given for this report.", "本报告未填写背景。");
    public string GoalsLabel => T("Goals", "目标");
    public string Metric(string metric) => metric switch
    {
        "gmv" => "GMV",
        "paid_orders" => T("Paid orders", "支付订单数"),
        "aov" => T("AOV", "客单价"),
        "uv" => "UV",
        "new_customers" => T("New customers", "新客数"),
        "paying_customers" => T("Paying customers", "支付客户数"),
        "conversion_rate" => T("Conversion (paid orders / UV)", "转化率（支付订单/UV）"),
        "repurchase_rate" => T("30-day repurchase rate", "30天复购率"),
        _ => metric,
    };
    public string Current => T("This period", "本期");
    public string PreviousLabel => T("Previous period", "上期");
    public string Change => T("Change", "环比");
    public string Target => T("Target", "目标");
    public string Status => T("Status", "状态");
    public string Met => T("met", "达成");
    public string NotMet => T("below target", "未达成");
    public string NoTarget => T("no target", "未设目标");
    public string GmvTrend => T("Daily GMV", "每日GMV");
    public string TrafficTrend => T("Daily UV and paid orders", "每日UV与支付订单数");
    public string Factors => T("What moved GMV (factors, exact split of the change)", "GMV变化的因素拆解（精确加总）");
    public string Factor(string factor) => factor switch
    {
        "uv" => "UV",
        "order_rate" => T("Order rate (placed orders / UV)", "下单率（下单数/UV）"),
        "payment_rate" => T("Payment rate (paid / placed orders)", "支付率（支付/下单）"),
        "aov" => T("AOV", "客单价"),
        _ => factor,
    };
    public string Contribution => T("Contribution to the change", "对变化的贡献");
    public string TopMovers => T("Top movers (GMV by dimension value)", "变化最大的维度值（GMV）");
    public string Dimension(string dimension) => dimension switch
    {
        "channel" => T("Channel", "渠道"),
        "customer_type" => T("Customer type", "客户类型"),
        "category" => T("Category", "品类"),
        _ => dimension,
    };
    public string Value => T("Value", "值");
    public string Share => T("Share of change", "占变化比例");
    public string DrillPath => T("Drill-down", "下钻路径");
    public string FactorsUnavailable => T("The change cannot be split into factors: a factor is zero in one of the periods.", "无法做因素拆解：某一期的某个因素为零。");
    public string NoProblems => T("No problems found: every metric met its target, none fell by 10 % or more, and no day fell below its seasonal baseline.",
        "未发现问题：各指标均达成目标，无指标环比下降10%以上，也没有日数据低于季节性基线。");
    public string NoSuggestions => T("No suggestions: no rule fired.", "无建议：没有触发任何规则。");
    public string RuleLabel => T("Rule", "规则");
    public string Answers => T("answers", "针对");
    public string Problem(Problem p) => p.Kind switch
    {
        "below_target" => T($"{Metric(p.Metric)} is below its target: {p.Value} against {p.Reference}.",
            $"{Metric(p.Metric)}未达目标：{p.Value}，目标{p.Reference}。"),
        "decline" => T($"{Metric(p.Metric)} fell {Percent(p.Change)} on the previous period ({p.Reference} → {p.Value}).",
            $"{Metric(p.Metric)}环比下降{Percent(p.Change)}（{p.Reference} → {p.Value}）。"),
        _ => T($"{Metric(p.Metric)} on {p.Date:yyyy-MM-dd} was {p.Value}, well below the {p.Reference} its weekday makes normal ({Percent(p.Change)}).",
            $"{p.Date:yyyy-MM-dd} 的{Metric(p.Metric)}为{p.Value}，明显低于同星期基线{p.Reference}（{Percent(p.Change)}）。"),
    };

    private static string Percent(decimal? ratio) => ratio is { } r ? $"{Math.Abs(r):P1}" : "–";

    /// <summary>The text of a suggestion rule, with the detail the rule found (a dimension value, a date).</summary>
    public string Rule(string rule, string? detail) => rule switch
    {
        "traffic" => T("Traffic fell: review paid-media budgets and the channels that lost visitors; reactivate owned channels (community, messages).",
            "流量下降：检查投放预算与流量下滑的渠道，激活私域渠道（社群、消息触达）。"),
        "order_rate" => T("Fewer visitors order: review landing and product pages, make running promotions visible, and start a browse-abandonment journey.",
            "下单转化下降：检查落地页与商品页，提升促销曝光，并开启浏览未购旅程。"),
        "payment_rate" => T("Placed orders are not being paid: check payment errors and shipping fees at checkout, and start an abandoned-checkout journey with a timed coupon.",
            "下单未支付增多：检查支付失败与运费设置，开启结算放弃旅程（限时优惠券）。"),
        "basket_size" => T("Baskets are smaller: set a threshold discount (满减) or bundle just above the current AOV.",
            "客单价下降：在当前客单价之上设置满减门槛或组合优惠。"),
        "acquisition" => T("Fewer new customers: strengthen the new-customer pack and referral rewards, and review acquisition channels' spend.",
            "新客减少：加强新人礼包与裂变奖励，复核拉新渠道投放。"),
        "retention" => T("Fewer customers come back: start replenishment reminders and a dormant-customer return offer.",
            "复购下降：开启复购提醒与沉睡用户唤醒权益。"),
        "paying_customers" => T("Fewer customers pay: target recent visitors who did not buy with a first-order or return coupon.",
            "支付客户减少：对近期访问未购用户定向发放首单或回流优惠券。"),
        "concentration" => T($"The fall is concentrated in {detail}: review that channel, audience or category first (spend, creative, stock, tracking).",
            $"下降集中在 {detail}：优先排查该渠道/人群/品类（投放、素材、库存、埋点）。"),
        "gmv_target" => T("GMV is below target: plan a promotion or campaign for the next period and track its pacing weekly.",
            "GMV未达目标：为下一周期规划促销或活动，并按周跟踪进度。"),
        "anomaly_day" => T($"Investigate {detail}: site availability, tracking, payment provider and stock-outs on that day.",
            $"排查 {detail}：当天的站点可用性、埋点、支付渠道与缺货情况。"),
        _ => rule,
    };
}
