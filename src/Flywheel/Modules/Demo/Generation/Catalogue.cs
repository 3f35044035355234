using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Flywheel.Modules.Catalog.Contracts;

namespace Flywheel.Modules.Demo.Generation;

/// <summary>A kind of product: what it is, its price range and, for consumables, how many days one unit lasts.</summary>
/// <remarks><para><c>Key</c>: Stable key, e.g. "coffee_beans"; complements name other keys.</para> <para><c>CycleDays</c>: Days one unit lasts for a consumable (its repurchase cycle); 0 for durables.</para></remarks>
public sealed record ProductType(
    string Key, string Category, string SubCategory, string Name, int MinPrice, int MaxPrice, int CycleDays, params string[] Complements);

/// <summary>A category with its gross margin (mean, as a share of price) and how often its orders are refunded.</summary>
public sealed record CategoryInfo(string Key, string Name, double Margin, double RefundRate, string[] Brands, string[] Series, string[] Variants);

/// <summary>A generated product. Money in fen (CNY minor units).</summary>
public sealed class DemoProduct
{
    public required int Index { get; init; }
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public required ProductType Type { get; init; }
    public required CategoryInfo Category { get; init; }
    public required string CategoryPath { get; init; }
    public required string Brand { get; init; }
    public required long PriceMinor { get; init; }
    public required long CostMinor { get; init; }
    /// <summary>Relative chance of being viewed within its category.</summary>
    public required double Popularity { get; init; }
    /// <summary>Mean review rating it earns, 1–5.</summary>
    public required double Quality { get; init; }
    /// <summary>The product's standard event properties (sku, name, category, brand, price) as JSON object members.</summary>
    public required string JsonMembers { get; init; }

    public decimal Price => PriceMinor / 100m;
}

/// <summary>
/// The demo catalogue: about 2,000 products in six categories, each a brand × series × product type, with prices in
/// the type's range and costs from the category's margin. Consumables carry a usage cycle, durables their complements
/// (a coffee machine → beans and a milk frother).
/// </summary>
public sealed class Catalogue
{
    public static readonly CategoryInfo[] Categories =
    [
        new("beauty", "美妆个护", 0.66, 0.05, ["澜颜 Lanyan", "素域", "Aurelle", "青柚", "Mistral Lab", "玉蕊"], ["臻选", "水润", "焕亮", "修护", "经典", "Pro"], ["", "礼盒装"]),
        new("baby", "母婴", 0.34, 0.04, ["安贝", "小羊驼 Alpaca Kids", "禾苗", "Bebecare", "暖暖"], ["有机", "超薄", "倍护", "经典", "柔享", "Plus"], ["", "组合装"]),
        new("home", "家居日用", 0.42, 0.05, ["木言", "净朗", "Casa Nova", "棉语", "宜居"], ["简约", "北欧", "加厚", "经典", "抑菌", "Plus"], ["", "两件套"]),
        new("food", "食品饮料", 0.24, 0.02, ["山野", "Bean Theory", "三餐", "茶里", "北纬"], ["精选", "有机", "家庭装", "经典", "臻品", "尝鲜装"], ["", "年货礼盒"]),
        new("electronics", "数码家电", 0.16, 0.06, ["极光 Aurora", "Novatek", "声屿", "Kovo", "米格"], ["Pro", "Air", "Lite", "Max", "经典", "2代"], ["", "套装版"]),
        new("apparel", "服饰鞋包", 0.56, 0.14, ["素白", "Urban Tide", "北岸", "Fieldwork", "棉知"], ["基础款", "宽松", "修身", "复古", "通勤", "运动"], ["黑色", "白色", "燕麦色"]),
    ];

    public static readonly ProductType[] Types =
    [
        new("serum", "beauty", "skincare", "精华液", 199, 899, 60),
        new("face_cream", "beauty", "skincare", "面霜", 149, 699, 60),
        new("cleanser", "beauty", "skincare", "洁面乳", 59, 189, 45),
        new("sheet_mask", "beauty", "skincare", "补水面膜 10片", 79, 259, 30),
        new("sunscreen", "beauty", "skincare", "防晒霜", 69, 299, 50),
        new("lipstick", "beauty", "makeup", "口红", 99, 380, 0),
        new("foundation", "beauty", "makeup", "粉底液", 149, 520, 0),
        new("shampoo", "beauty", "hair", "洗发水", 49, 159, 40),
        new("perfume", "beauty", "fragrance", "香水", 299, 1299, 0),
        new("diapers", "baby", "diapers", "纸尿裤", 99, 259, 20, "baby_wipes"),
        new("formula", "baby", "feeding", "婴儿配方奶粉", 199, 498, 18, "baby_bottle"),
        new("baby_wipes", "baby", "care", "婴儿湿巾 80抽×6包", 29, 79, 15),
        new("baby_bottle", "baby", "feeding", "宽口径奶瓶", 69, 199, 0),
        new("stroller", "baby", "gear", "婴儿推车", 699, 3999, 0),
        new("maternity_dress", "baby", "maternity", "孕妇连衣裙", 129, 399, 0),
        new("baby_lotion", "baby", "care", "婴儿润肤乳", 59, 149, 45),
        new("baby_toy", "baby", "toys", "益智玩具", 49, 299, 0),
        new("detergent", "home", "cleaning", "洗衣液", 39, 99, 30),
        new("dish_soap", "home", "cleaning", "洗洁精", 15, 39, 35),
        new("tissue", "home", "paper", "抽纸 24包", 39, 89, 25),
        new("bedding", "home", "textiles", "床上四件套", 199, 899, 0),
        new("towel", "home", "textiles", "纯棉毛巾", 29, 99, 0),
        new("storage_box", "home", "storage", "收纳箱", 39, 199, 0),
        new("frying_pan", "home", "kitchen", "不粘锅", 129, 599, 0),
        new("candle", "home", "decor", "香薰蜡烛", 59, 199, 0),
        new("coffee_beans", "food", "coffee", "咖啡豆 454g", 69, 199, 21),
        new("tea", "food", "tea", "茶叶礼盒", 99, 599, 45),
        new("nuts", "food", "snacks", "每日坚果 30袋", 79, 169, 30),
        new("milk", "food", "dairy", "纯牛奶 250ml×24", 49, 89, 10),
        new("rice", "food", "grocery", "五常大米 5kg", 59, 129, 30),
        new("snack_box", "food", "snacks", "零食大礼包", 39, 129, 0),
        new("olive_oil", "food", "grocery", "特级初榨橄榄油", 79, 199, 60),
        new("coffee_machine", "electronics", "kitchen appliances", "意式咖啡机", 899, 4999, 0, "coffee_beans", "milk_frother"),
        new("milk_frother", "electronics", "kitchen appliances", "奶泡机", 129, 399, 0),
        new("smartphone", "electronics", "phones", "智能手机", 1999, 6999, 0, "phone_case", "earbuds", "charger"),
        new("earbuds", "electronics", "audio", "无线降噪耳机", 199, 1499, 0),
        new("phone_case", "electronics", "accessories", "手机壳", 29, 99, 0),
        new("charger", "electronics", "accessories", "65W 快充充电器", 59, 199, 0),
        new("air_fryer", "electronics", "kitchen appliances", "空气炸锅", 299, 899, 0),
        new("robot_vacuum", "electronics", "home appliances", "扫地机器人", 1499, 3999, 0, "vacuum_filter"),
        new("vacuum_filter", "electronics", "home appliances", "扫地机滤网耗材套装", 39, 99, 90),
        new("smartwatch", "electronics", "wearables", "智能手表", 599, 2499, 0),
        new("tshirt", "apparel", "tops", "纯棉T恤", 59, 199, 0),
        new("dress", "apparel", "dresses", "连衣裙", 199, 699, 0),
        new("jeans", "apparel", "bottoms", "直筒牛仔裤", 149, 499, 0),
        new("sneakers", "apparel", "shoes", "运动鞋", 299, 1099, 0, "socks"),
        new("down_jacket", "apparel", "outerwear", "羽绒服", 499, 1999, 0),
        new("socks", "apparel", "underwear", "棉袜 5双装", 29, 69, 90),
        new("hoodie", "apparel", "tops", "连帽卫衣", 149, 399, 0),
        new("knit_sweater", "apparel", "tops", "针织毛衣", 199, 599, 0),
    ];

    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    public IReadOnlyList<DemoProduct> Products { get; }

    /// <summary>Products of each category (by category key), and of each type (by type key).</summary>
    public IReadOnlyDictionary<string, DemoProduct[]> ByCategory { get; }

    public IReadOnlyDictionary<string, DemoProduct[]> ByType { get; }

    /// <summary>Cumulative popularity within each category, for drawing a product to view.</summary>
    public IReadOnlyDictionary<string, double[]> CumulativePopularity { get; }

    private Catalogue(List<DemoProduct> products)
    {
        Products = products;
        ByCategory = products.GroupBy(p => p.Category.Key).ToDictionary(g => g.Key, g => g.ToArray());
        ByType = products.GroupBy(p => p.Type.Key).ToDictionary(g => g.Key, g => g.ToArray());
        CumulativePopularity = ByCategory.ToDictionary(kv => kv.Key, kv =>
        {
            var sum = 0.0;
            return kv.Value.Select(p => sum += p.Popularity).ToArray();
        });
    }

    /// <summary>About <paramref name="count"/> products, the same for the same seed.</summary>
    public static Catalogue Generate(long seed, int count = 2000)
    {
        var rng = new DemoRandom(seed, stream: -1);
        var products = new List<DemoProduct>(count);
        var perCategory = count / Categories.Length;
        foreach (var category in Categories)
        {
            var types = Types.Where(t => t.Category == category.Key).ToArray();
            var combos = new List<(ProductType Type, string Brand, string Series, string Variant)>();
            foreach (var t in types)
            {
                foreach (var b in category.Brands)
                {
                    foreach (var s in category.Series)
                    {
                        foreach (var v in category.Variants)
                        {
                            combos.Add((t, b, s, v));
                        }
                    }
                }
            }
            // A random subset of the combinations, every type kept (consumables must exist for repurchase cycles).
            for (var i = combos.Count - 1; i > 0; i--)
            {
                var j = rng.Next(i + 1);
                (combos[i], combos[j]) = (combos[j], combos[i]);
            }
            var chosen = types.Select(t => combos.First(c => c.Type == t)).ToList();
            chosen.AddRange(combos.Where(c => !chosen.Contains(c)).Take(Math.Max(0, perCategory - chosen.Count)));
            var rank = 0;
            foreach (var (type, brand, series, variant) in chosen.OrderBy(c => c.Type.Key, StringComparer.Ordinal)
                .ThenBy(c => c.Brand, StringComparer.Ordinal).ThenBy(c => c.Series, StringComparer.Ordinal).ThenBy(c => c.Variant, StringComparer.Ordinal))
            {
                products.Add(Make(rng, products.Count, category, type, brand, series, variant, ++rank));
            }
        }
        return new Catalogue(products);
    }

    private static DemoProduct Make(DemoRandom rng, int index, CategoryInfo category, ProductType type, string brand, string series, string variant, int n)
    {
        // Brand tiers spread prices over the type's range; prices end in 9 (or .90 under 100), as shops price them.
        var position = Math.Clamp(rng.NextDouble() * 0.8 + BrandTier(category, brand) * 0.2 + (variant.Length > 0 && category.Key != "apparel" ? 0.1 : 0), 0, 1);
        var yuan = type.MinPrice + position * (type.MaxPrice - type.MinPrice);
        long priceMinor = yuan < 100 ? (long)Math.Floor(yuan) * 100 + 90 : ((long)Math.Floor(yuan / 10) * 10 + 9) * 100;
        var margin = Math.Clamp(category.Margin + rng.Normal() * 0.04, 0.05, 0.85);
        var costMinor = (long)Math.Round(priceMinor * (1 - margin));
        var typeCode = type.Key.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant();
        var sku = $"{category.Key[..2].ToUpperInvariant()}-{typeCode[..Math.Min(5, typeCode.Length)]}-{n:D4}";
        var name = variant.Length == 0 ? $"{brand} {series}{type.Name}" : $"{brand} {series}{type.Name} {variant}";
        var path = $"{category.Key} > {type.SubCategory} > {type.Key}";
        var popularity = Math.Pow(rng.Between(1.0, 60.0), -0.9);
        var members = new StringBuilder()
            .Append("\"sku\":").Append(JsonSerializer.Serialize(sku, JsonOptions))
            .Append(",\"name\":").Append(JsonSerializer.Serialize(name, JsonOptions))
            .Append(",\"category\":").Append(JsonSerializer.Serialize(path, JsonOptions))
            .Append(",\"brand\":").Append(JsonSerializer.Serialize(brand, JsonOptions))
            .Append(",\"price\":").Append((priceMinor / 100m).ToString("0.00", CultureInfo.InvariantCulture))
            .ToString();
        return new DemoProduct
        {
            Index = index,
            Sku = sku,
            Name = name,
            Type = type,
            Category = category,
            CategoryPath = path,
            Brand = brand,
            PriceMinor = priceMinor,
            CostMinor = costMinor,
            Popularity = popularity,
            Quality = Math.Clamp(4.3 + rng.Normal() * 0.35, 3.0, 4.95),
            JsonMembers = members,
        };
    }

    private static double BrandTier(CategoryInfo category, string brand) => Array.IndexOf(category.Brands, brand) / (double)Math.Max(1, category.Brands.Length - 1);

    /// <summary>The catalogue as products for the catalog module; stock is plentiful, tags mark consumables.</summary>
    public IEnumerable<CatalogProduct> ToCatalog() => Products.Select(p => new CatalogProduct(
        p.Sku, p.Name, p.CategoryPath, p.Brand, p.PriceMinor, p.CostMinor, 500 + (int)(p.Popularity * 5000),
        p.Type.CycleDays > 0 ? $"{p.Category.Name},consumable,cycle_{p.Type.CycleDays}d" : p.Category.Name));
}
