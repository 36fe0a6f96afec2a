using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using ThingLedger.Client;
using ThingLedger.Client.Contracts;
using ThingLedger.Node.Chain;

namespace ThingLedger.Node.Api;

/// <summary>Health, Prometheus metrics and the Server-Sent Events stream of committed blocks.</summary>
internal static class OpsApi
{
    public static WebApplication MapOpsApi(this WebApplication app)
    {
        app.MapGet("/health", Health).WithTags("Node").WithName("Health").WithSummary("200 while the node commits blocks; 503 with the reason once it cannot.");
        app.MapGet("/metrics", (LedgerNode node, IEnumerable<IMetricsSource> modules) => TypedResults.Text(Metrics(node, modules), "text/plain; version=0.0.4"))
            .WithTags("Node").WithName("Metrics").WithSummary("Prometheus text format.");
        app.MapGet("/v1/rates", (LedgerNode node, RateHistory rates) => TypedResults.Ok(new RatesView(node.Head.Height, RateHistory.SampleSeconds, rates.Points())))
            .WithTags("Node").WithName("GetRates").WithSummary("Committed txs and accepted readings per second over the last ten minutes, oldest first.");
        app.MapGet("/v1/events", Stream).WithTags("Node").WithName("EventStream")
            .WithSummary("Server-Sent Events: one 'block' event per committed block (height, hash, txCount …).");
        return app;
    }

    private static Results<Ok<HealthView>, JsonHttpResult<HealthView>> Health(LedgerNode node)
    {
        var fault = node.Fault;
        var view = new HealthView(fault is null ? PeerStatus.Healthy : PeerStatus.Unhealthy, node.Head.Height, fault);
        return fault is null ? TypedResults.Ok(view) : TypedResults.Json(view, ClientJsonContext.Default.HealthView, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task Stream(HttpContext context, LedgerNode node, CancellationToken cancellationToken)
    {
        await ServerSentEvents.BeginAsync(context.Response, cancellationToken).ConfigureAwait(false);
        using var subscription = node.Events.Subscribe();
        var head = node.Head;
        await Write(context, new BlockEvent(head.Height, head.Header.Hash.ToString(), head.Header.Timestamp, (int)head.Header.TxCount, 0, head.Header.StateRoot.ToString()), cancellationToken).ConfigureAwait(false);
        try
        {
            while (await subscription.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (subscription.Reader.TryRead(out var e))
                {
                    await Write(context, e, cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away or the node is stopping.
        }
    }

    /// <summary>The kernel's metrics, then each module's.</summary>
    private static string Metrics(LedgerNode node, IEnumerable<IMetricsSource> modules)
    {
        var text = new System.Text.StringBuilder(node.Metrics.Render(node.Admission.Pending, node.Store.StateCount));
        foreach (var module in modules)
        {
            module.Render(text);
        }
        return text.ToString();
    }

    private static async Task Write(HttpContext context, BlockEvent e, CancellationToken cancellationToken)
    {
        await ServerSentEvents.WriteAsync(context.Response, e.Height, "block", JsonSerializer.Serialize(e, ClientJsonContext.Default.BlockEvent), cancellationToken).ConfigureAwait(false);
    }
}
