using Microsoft.AspNetCore.Diagnostics;
using ThingLedger.Client;
using ThingLedger.Core;
using ThingLedger.Execution;
using ThingLedger.Node.Api;
using ThingLedger.Node.Chain;
using ThingLedger.Node.Consortium;
using ThingLedger.Node.Explorer;
using ThingLedger.Node.Json;
using ThingLedger.Node.Modules;
using KestrelServerOptions = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions;

namespace ThingLedger.Node;

/// <summary>Builds the node's web application: services, limits, error handling and routes.</summary>
public static class NodeApp
{
    public const string DefaultUrl = "http://127.0.0.1:7070";

    /// <summary>The host setting that makes configuration files reload when they change.</summary>
    internal const string ReloadConfigOnChangeKey = "hostBuilder:reloadConfigOnChange";

    /// <summary>
    /// Builds a node from command-line style arguments and configuration
    /// (Node:DataDirectory, Node:BlockIntervalMs …; ASPNETCORE_URLS or --urls for the address).
    /// </summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // Configuration files are read once at start, never watched: watching them puts an
        // inotify watch on every folder under the content root (the working directory), so a node
        // started beside its data directory would wake for each of its own database writes.
        var builder = WebApplication.CreateSlimBuilder([.. args, $"--{ReloadConfigOnChangeKey}=false"]);
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }
        // ASP.NET Core logs every request at Information: on a busy peer that buries the node's own
        // messages and costs throughput. Warning unless the operator asks for more.
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
        {
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        }
        configure?.Invoke(builder);

        builder.Services.AddOptions<NodeOptions>().BindConfiguration(NodeOptions.Section);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LedgerNode>();
        // What queries read: committed state, stored readings and the modules' rules.
        builder.Services.AddSingleton(services => services.GetRequiredService<LedgerNode>().Store);
        builder.Services.AddSingleton(services => services.GetRequiredService<LedgerNode>().Readings);
        builder.Services.AddSingleton(services => services.GetRequiredService<LedgerNode>().Machine);
        builder.Services.AddHostedService<ChainRunner>();
        builder.Services.AddSingleton<DiskWatch>();
        builder.Services.AddHostedService(services => services.GetRequiredService<DiskWatch>());
        builder.Services.AddHostedService<ConsortiumService>();
        builder.Services.AddSingleton<RateHistory>();
        builder.Services.AddSingleton<BadInputLog>();
        builder.Services.AddHostedService<RateSampler>();
        // Each module's services (its background services start after the kernel's).
        var modules = NodeModules.Load(ModuleCatalog.Create());
        builder.Services.AddModules(modules);
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, ClientJson.Resolver);
            o.SerializerOptions.TypeInfoResolverChain.Insert(1, NodeJsonContext.Default);
        });
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.Configure<KestrelServerOptions>(o =>
            o.Limits.MaxRequestBodySize = builder.Configuration.GetValue<long?>($"{NodeOptions.Section}:{nameof(NodeOptions.MaxRequestBytes)}") ?? new NodeOptions().MaxRequestBytes);
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
        {
            var status = context.ProblemDetails.Status ?? 500;
            context.ProblemDetails.Extensions.TryAdd("code", Problems.CodeForStatus(status));
        });
        builder.Services.AddOpenApi();
        builder.Services.AddExplorer();

        var app = builder.Build();
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            StatusCodeSelector = StatusFor,
            ExceptionHandler = WriteProblem,
            // Bad input is answered with a problem and one line in BadInputLog, not a logged stack trace.
            SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException,
        });
        app.UseStatusCodePages(StatusPage);
        app.Use(LimitRequestBody);

        app.MapOpenApi();
        app.UseSwaggerUI(o =>
        {
            o.SwaggerEndpoint("/openapi/v1.json", "ThingLedger node API");
            o.RoutePrefix = "swagger";
        });
        var api = app.MapGroup("/v1");
        api.MapTxApi().MapChainApi().MapAccountApi().MapSyncApi().MapModuleApis(modules);
        app.MapOpsApi();
        app.MapExplorer();
        // Resolve the ledger now: a bad data directory fails at start, not on the first request.
        app.Services.GetRequiredService<LedgerNode>();
        return app;
    }

    /// <summary>
    /// Refuses bodies over Node:MaxRequestBytes whatever the server: at once when the length is
    /// declared, and through the server's body-size feature while reading chunked bodies.
    /// </summary>
    private static Task LimitRequestBody(HttpContext context, RequestDelegate next)
    {
        var limit = context.RequestServices.GetRequiredService<LedgerNode>().Options.MaxRequestBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new BadHttpRequestException($"the body is {context.Request.ContentLength} bytes; the limit is {limit}", StatusCodes.Status413PayloadTooLarge);
        }
        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }
        return next(context);
    }

    private static int StatusFor(Exception exception) => exception switch
    {
        BadHttpRequestException bad => bad.StatusCode,
        _ when Storage.StorageCorruptException.FindIn(exception) is not null => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static async Task WriteProblem(HttpContext context)
    {
        var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
        var status = exception is null ? StatusCodes.Status500InternalServerError : StatusFor(exception);
        var code = status == StatusCodes.Status413PayloadTooLarge ? ErrorCodes.RequestTooLarge : Problems.CodeForStatus(status);
        var detail = status switch
        {
            StatusCodes.Status413PayloadTooLarge => "the request body is larger than this node accepts (Node:MaxRequestBytes)",
            < 500 => exception?.Message ?? "the request could not be read",
            StatusCodes.Status503ServiceUnavailable => "a database file of this node is damaged; it takes no writes until it is repaired (see /health)",
            _ => "the node failed to answer this request; it has been logged",
        };
        if (status == StatusCodes.Status503ServiceUnavailable && Storage.StorageCorruptException.FindIn(exception) is { } damaged)
        {
            var node = context.RequestServices.GetRequiredService<LedgerNode>();
            node.ReportStorageFailure(new Storage.StorageCorruptException($"a read found a damaged database file ({damaged.Message})", damaged),
                context.RequestServices.GetRequiredService<DiskWatch>());
        }
        if (status < 500)
        {
            context.RequestServices.GetRequiredService<BadInputLog>().Refused(context.Request, status, code, detail);
        }
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        context.Response.StatusCode = status;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = code, Detail = detail, Extensions = { ["code"] = code } },
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// A bodiless error status: a problem document for the API and for scripts, and for a person's
    /// browser asking the explorer for a page that does not exist, an HTML page that says so.
    /// </summary>
    private static async Task StatusPage(StatusCodeContext status)
    {
        var context = status.HttpContext;
        var path = context.Request.Path;
        var browser = context.Request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.Ordinal) == true);
        if (context.Response.StatusCode == StatusCodes.Status404NotFound && browser && HttpMethods.IsGet(context.Request.Method)
            && !new[] { "/v1", "/openapi", "/swagger", "/assets", "/metrics", "/health" }.Any(prefix => path.StartsWithSegments(prefix, StringComparison.Ordinal)))
        {
            context.Response.ContentType = "text/html; charset=utf-8";
            var shown = System.Net.WebUtility.HtmlEncode(path.Value ?? "/");
            await context.Response.WriteAsync(
                "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\" /><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />" +
                "<title>Not found · ThingLedger</title><link rel=\"stylesheet\" href=\"/assets/explorer.css\" /></head><body><main>" +
                $"<h1>Not found</h1><p class=\"problem\" data-problem>The explorer has no page at <code>{shown}</code>.</p>" +
                "<p><a href=\"/\">Overview</a> · <a href=\"/blocks\">Blocks</a> · <a href=\"/txs\">Transactions</a> · or search from the overview for a height, hash, tx id, device id or address.</p>" +
                "</main></body></html>").ConfigureAwait(false);
            return;
        }
        // A problem document whatever the client accepts (problem details fall back to JSON).
        var code = Problems.CodeForStatus(context.Response.StatusCode);
        await TypedResults.Problem(statusCode: context.Response.StatusCode, title: code, extensions: new Dictionary<string, object?> { ["code"] = code })
            .ExecuteAsync(context).ConfigureAwait(false);
    }

}
