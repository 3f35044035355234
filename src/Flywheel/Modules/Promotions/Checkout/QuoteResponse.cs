using System.Text.Json;

namespace Flywheel.Modules.Promotions.Checkout;

/// <summary>200 with the quote's JSON (<see cref="QuoteView"/>) written straight into the response.</summary>
public sealed class QuoteResponse(CheckoutQuote quote) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json; charset=utf-8";
        await using (var writer = new Utf8JsonWriter(response.BodyWriter))
        {
            QuoteView.Write(writer, quote.Quote, quote.Live.RejectedCodes);
        }
        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }
}
