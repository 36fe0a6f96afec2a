using System.Security.Cryptography;

namespace ThingLedger.Node.Explorer;

/// <summary>
/// The explorer: Razor components rendered on the server (static SSR) at /, with one stylesheet
/// and one small script served from the assembly's embedded resources, so nothing is fetched
/// from anywhere but this node.
/// </summary>
public static class ExplorerEndpoints
{
    private static readonly Dictionary<string, (byte[] Bytes, string ContentType, string ETag)> Assets = LoadAssets();

    public static IServiceCollection AddExplorer(this IServiceCollection services)
    {
        services.AddRazorComponents();
        return services;
    }

    public static WebApplication MapExplorer(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapRazorComponents<ExplorerApp>();
        app.MapGet("/assets/{name}", Asset).ExcludeFromDescription();
        return app;
    }

    private static IResult Asset(string name, HttpContext context)
    {
        if (!Assets.TryGetValue(name, out var asset))
        {
            return TypedResults.NotFound();
        }
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers.ETag = asset.ETag;
        if (context.Request.Headers.IfNoneMatch == asset.ETag)
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return TypedResults.Bytes(asset.Bytes, asset.ContentType);
    }

    private static Dictionary<string, (byte[], string, string)> LoadAssets()
    {
        const string Prefix = "explorer/";
        var assembly = typeof(ExplorerEndpoints).Assembly;
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(Prefix, StringComparison.Ordinal))
            {
                continue;
            }
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[Prefix.Length..];
            var type = name.EndsWith(".css", StringComparison.Ordinal) ? "text/css; charset=utf-8"
                : name.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript; charset=utf-8"
                : "application/octet-stream";
            assets[name] = (bytes, type, $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..16]}\"");
        }
        return assets;
    }
}
