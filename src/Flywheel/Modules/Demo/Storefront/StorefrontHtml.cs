using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Flywheel.Modules.Demo.Storefront;

/// <summary>The storefront's pages: plain server-rendered HTML, a little inline CSS, and calls to the tracking script.</summary>
public static class StorefrontHtml
{
    public sealed record Shop(string WorkspaceId, string Name, string Currency, string PublicKey);

    // Queues calls made before /sdk/flywheel.js has loaded (it loads async); the script replays them.
    private const string Stub = """
        window.flywheel = window.flywheel || [];
        for (const m of ['init', 'page', 'track', 'identify', 'reset']) {
          flywheel[m] = flywheel[m] || ((...args) => flywheel.push([m, ...args]));
        }
        """;

    // Add-to-cart buttons and the sign-in form: behaviour shared by every page.
    private const string Behaviour = """
        const cart = document.getElementById('cart');
        const count = () => Number(localStorage.getItem('shop_cart') || 0);
        cart.textContent = `Cart: ${count()}`;
        document.addEventListener('click', (e) => {
          const button = e.target.closest('[data-add-to-cart]');
          if (!button) return;
          flywheel.track('add_to_cart', Object.assign({ quantity: 1 }, JSON.parse(button.dataset.addToCart)));
          localStorage.setItem('shop_cart', String(count() + 1));
          cart.textContent = `Cart: ${count()}`;
        });
        const who = document.getElementById('who');
        const shown = () => { const id = localStorage.getItem('shop_user'); who.textContent = id ? `Signed in as ${id}` : ''; };
        shown();
        document.getElementById('sign-in').addEventListener('submit', (e) => {
          e.preventDefault();
          const form = e.target;
          const id = form.customer.value.trim();
          if (!id) return;
          flywheel.identify(id, form.email.value ? { email: form.email.value } : {});
          flywheel.track('sign_in', {});
          localStorage.setItem('shop_user', id);
          shown();
          form.reset();
        });
        """;

    private const string Css = """
        body { font: 15px/1.5 system-ui, sans-serif; margin: 0; color: #222; }
        header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; padding: .75rem 1.5rem; background: #f4f1ec; }
        header .brand { font-weight: 700; color: #b5471b; text-decoration: none; margin-right: auto; }
        main { padding: 1.5rem; max-width: 70rem; margin: auto; }
        .grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 1rem; list-style: none; padding: 0; }
        .card { border: 1px solid #ddd; border-radius: .5rem; padding: 1rem; }
        .card a { color: inherit; font-weight: 600; }
        .muted { color: #777; font-size: .85rem; }
        button { cursor: pointer; }
        """;

    public static string Home(Shop shop, IReadOnlyList<Storefront.Item> items, string? search)
    {
        var body = new StringBuilder();
        body.Append(search is null ? "<h1>Products</h1>" : $"<h1>Results for “{H(search)}”</h1>");
        if (items.Count == 0)
        {
            body.Append("<p>No products found.</p>");
        }
        body.Append("<ul class=\"grid\">");
        foreach (var item in items)
        {
            body.Append("<li class=\"card\">")
                .Append(CultureInfo.InvariantCulture, $"<a class=\"product\" href=\"/shop/p/{H(Uri.EscapeDataString(item.Sku))}\">{H(item.Name)}</a>")
                .Append(CultureInfo.InvariantCulture, $"<div class=\"muted\">{H(item.Category)}{(item.Brand is null ? "" : " · " + H(item.Brand))}</div>")
                .Append(CultureInfo.InvariantCulture, $"<p>{H(item.PriceText)}</p>")
                .Append(AddToCart(item))
                .Append("</li>");
        }
        body.Append("</ul>");
        var tracking = search is null
            ? null
            : $"flywheel.track('search', {Js(new Dictionary<string, object?> { ["query"] = search, ["results"] = items.Count })});";
        return Layout(shop, search is null ? "Products" : "Search", body.ToString(), tracking, search);
    }

    public static string Product(Shop shop, Storefront.Item item)
    {
        var body = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\"><a href=\"/shop\">All products</a> › {H(item.Category)}</p>")
            .Append(CultureInfo.InvariantCulture, $"<h1>{H(item.Name)}</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">SKU {H(item.Sku)}{(item.Brand is null ? "" : " · " + H(item.Brand))}</p>")
            .Append(CultureInfo.InvariantCulture, $"<p><strong>{H(item.PriceText)}</strong> · {item.Stock.ToString(CultureInfo.InvariantCulture)} in stock</p>")
            .Append(AddToCart(item));
        return Layout(shop, item.Name, body.ToString(), $"flywheel.track('product_view', {Js(Properties(item))});", null);
    }

    public static string NotFound(Shop shop, string sku) =>
        Layout(shop, "Not found", $"<h1>Not found</h1><p>There is no product with SKU {H(sku)}.</p><p><a href=\"/shop\">All products</a></p>", null, null);

    public static string NotConfigured(string setting) => $"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Demo storefront</title></head>
        <body><h1>The demo storefront is not set up</h1>
        <p>It sends events with the workspace's public key, which Flywheel stores only as a hash. Start Flywheel with
        <code>{H(setting)}</code> set to the public key (<code>fw_pk_...</code>) of the workspace to show.</p></body></html>
        """;

    private static string Layout(Shop shop, string title, string body, string? pageScript, string? search) => $"""
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>{H(title)} · {H(shop.Name)} shop</title>
        <style>{Css}</style>
        <script>{Stub}</script>
        <script src="/sdk/flywheel.js" data-key="{H(shop.PublicKey)}" async></script>
        </head>
        <body>
        <header>
          <a class="brand" href="/shop">{H(shop.Name)} shop</a>
          <form action="/shop" method="get" role="search">
            <input name="q" type="search" placeholder="Search products" value="{H(search ?? "")}">
            <button>Search</button>
          </form>
          <form id="sign-in">
            <input name="customer" placeholder="Customer id" required>
            <input name="email" type="email" placeholder="Email (optional)">
            <button>Sign in</button>
          </form>
          <span id="who"></span>
          <span id="cart"></span>
        </header>
        <main>{body}</main>
        <script>{Behaviour}{pageScript}</script>
        </body>
        </html>
        """;

    private static string AddToCart(Storefront.Item item) =>
        $"<button data-add-to-cart=\"{H(JsonSerializer.Serialize(Properties(item)))}\">Add to cart</button>";

    private static Dictionary<string, object?> Properties(Storefront.Item item)
    {
        var properties = new Dictionary<string, object?> { ["sku"] = item.Sku, ["name"] = item.Name, ["price"] = item.Price };
        if (item.Category.Length > 0)
        {
            properties["category"] = item.Category;
        }
        if (item.Brand is not null)
        {
            properties["brand"] = item.Brand;
        }
        return properties;
    }

    private static string H(string text) => HtmlEncoder.Default.Encode(text);

    /// <summary>JSON for an inline script: the default encoder escapes &lt;, &gt;, &amp; and quotes, so no value can end the script.</summary>
    private static string Js(object value) => JsonSerializer.Serialize(value);
}
