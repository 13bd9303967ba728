using Hearth.Server.Common;

namespace Hearth.Server.KeyValue;

/// <summary>Turns a batch request into writes, or into every 422 issue it has (located as FastAPI would).</summary>
internal static class KvBatchReader
{
    public static (IReadOnlyList<KvWrite> Writes, IReadOnlyList<ValidationIssue> Issues) Read(
        KvBatchRequest request, string callerId, KvOptions limits)
    {
        var maxOperations = limits.MaxBatchOperations;
        var issues = new List<ValidationIssue>();
        var writes = new List<KvWrite>();
        if (request.Operations.Count < 1 || request.Operations.Count > maxOperations)
        {
            issues.Add(new ValidationIssue("value_error", ["body", "operations"], ErrorMessages.ArtifactBatchSize(maxOperations),
                request.Operations.Count));
            return (writes, issues);
        }
        for (var index = 0; index < request.Operations.Count; index++)
        {
            if (Read(request.Operations[index], ["body", "operations", index], callerId, limits.MaxPatchOperations, issues) is { } write)
            {
                writes.Add(write);
            }
        }
        return (writes, issues);
    }

    private static KvWrite? Read(KvBatchOperation operation, object[] at, string callerId, int maxPatchOperations,
        List<ValidationIssue> issues)
    {
        var before = issues.Count;
        issues.AddRange(KvRules.CheckAddress(operation.Scope, operation.Key, at));
        issues.AddRange(KvRules.CheckExpectedVersion(operation.ExpectedVersion, at));
        IValuePatch? edit = null;
        switch (operation.Op)
        {
            case "store":
                issues.AddRange(KvRules.CheckValue(operation.Value, at));
                break;
            case "delete":
                break;
            case "patch" when (operation.Patch is null) == (operation.MergePatch is null):
                issues.Add(new ValidationIssue("value_error", at, ErrorMessages.ArtifactBatchPatchMissing, null));
                break;
            case "patch" when operation.MergePatch is not null:
                edit = new MergePatchEdit(operation.MergePatch);
                break;
            case "patch":
                edit = ValuePatch.FromJsonPatch(operation.Patch, [.. at, "patch"], maxPatchOperations, out var problem);
                if (problem is not null)
                {
                    issues.Add(problem);
                }
                break;
            default:
                issues.Add(new ValidationIssue("literal_error", [.. at, "op"], ErrorMessages.ArtifactBatchOpInvalid, operation.Op));
                break;
        }
        if (issues.Count > before)
        {
            return null;
        }
        var address = KvAddress.For(operation.Scope, operation.Key, callerId);
        var condition = new KvPrecondition(null, null, operation.ExpectedVersion);
        return operation.Op switch
        {
            "store" => new StoreWrite(address, condition, operation.Value!.Text),
            "delete" => new DeleteWrite(address, condition),
            _ => new PatchWrite(address, condition, edit!),
        };
    }
}
