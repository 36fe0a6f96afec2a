using ThingLedger.Client.Contracts;
using ThingLedger.Execution.Modules.Epcis;

namespace ThingLedger.Node.Modules.Epcis;

/// <summary>
/// Walks aggregation and transformation over the chain index (docs/EPCIS.md "Trace"). Back from an
/// identifier: the parents of the aggregations that name it as a child (case → pallet) and the
/// inputs of the transformations that output it (bag → milled lot → paddy lots), then theirs.
/// Forward: the children of the aggregations it is the parent of, and the outputs of the
/// transformations it is an input of, then theirs. Every identifier reached is reached once; a
/// trace stops at <see cref="MaxIds"/> identifiers or <see cref="MaxEvents"/> events and says so.
/// </summary>
public static class EpcisTrace
{
    public const int MaxIds = 1_000;
    public const int MaxEvents = 10_000;

    public static EpcisTraceView Walk(EpcisChainIndex index, string id, bool forward)
    {
        var reached = new List<EpcisTraceLinkView>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { id };
        var events = new Dictionary<Core.Crypto.Hash, AnchoredEvent>();
        var queue = new Queue<(string Id, int Depth)>();
        queue.Enqueue((id, 0));
        var truncated = false;
        void Reach(string next, int depth, string from, string relation, AnchoredEvent via)
        {
            if (seen.Count >= MaxIds)
            {
                truncated |= !seen.Contains(next);
                return;
            }
            if (seen.Add(next))
            {
                reached.Add(new EpcisTraceLinkView(next, depth, from, relation, via.Record.HashText));
                queue.Enqueue((next, depth));
            }
        }
        while (queue.TryDequeue(out var at))
        {
            var naming = index.Naming(at.Id, MaxEvents + 1);
            truncated |= naming.Count > MaxEvents;
            foreach (var e in naming.OrderBy(e => e.Record.TimeMs).ThenBy(e => e.Record.Digest.ToString(), StringComparer.Ordinal))
            {
                if (events.Count >= MaxEvents && !events.ContainsKey(e.Record.Digest))
                {
                    truncated = true;
                    break;
                }
                events.TryAdd(e.Record.Digest, e);
                var r = e.Record;
                if (!forward && r.Type == EpcisEventType.Aggregation && r.Action != EpcisAction.Delete && r.Parent.Length > 0 && Array.IndexOf(r.Epcs, at.Id) >= 0)
                {
                    Reach(r.Parent, at.Depth + 1, at.Id, "contained-in", e);
                }
                else if (!forward && r.Type == EpcisEventType.Transformation && Array.IndexOf(r.Outputs, at.Id) >= 0)
                {
                    foreach (var input in r.Inputs)
                    {
                        Reach(input, at.Depth + 1, at.Id, "made-from", e);
                    }
                }
                else if (forward && r.Type == EpcisEventType.Aggregation && r.Action == EpcisAction.Add && r.Parent == at.Id)
                {
                    foreach (var child in r.Epcs)
                    {
                        Reach(child, at.Depth + 1, at.Id, "contains", e);
                    }
                }
                else if (forward && r.Type == EpcisEventType.Transformation && Array.IndexOf(r.Inputs, at.Id) >= 0)
                {
                    foreach (var output in r.Outputs)
                    {
                        Reach(output, at.Depth + 1, at.Id, "made-into", e);
                    }
                }
            }
        }
        var steps = events.Values.OrderBy(e => e.Record.TimeMs).ThenBy(e => e.Height).ThenBy(e => e.Record.Digest.ToString(), StringComparer.Ordinal).Select(Step).ToList();
        return new EpcisTraceView(id, forward ? "forward" : "back", reached, steps, truncated, index.Height);
    }

    public static EpcisStepView Step(AnchoredEvent e)
    {
        var r = e.Record;
        static string? Text(string s) => s.Length == 0 ? null : s;
        return new EpcisStepView(r.HashText, r.Type + "Event", r.Action == EpcisAction.None ? null : r.Action.ToString().ToUpperInvariant(), r.TimeMs, Text(r.BizStep),
            Text(r.Disposition), Text(r.Location), Text(r.Parent), r.Epcs, r.Inputs, r.Outputs, Text(r.Owner), (r.Flags & EpcisEventFlags.SensorAlarm) != 0, e.Org,
            e.Capturer.ToString(), e.Height, e.Tx.ToString(), [.. r.Devices.Select(d => d.ToString())]);
    }
}
