namespace Thoras.Domain.Targets;

/// <summary>One thing wrong with an AIScaleTarget's spec: where (<c>spec.vertical.mode</c>) and what, in a user's words.</summary>
/// <param name="Path">The field, as <c>kubectl explain</c> would name it, with list positions (<c>spec.vertical.containers[0].cpu</c>).</param>
/// <param name="Message">What is wrong and, where it helps, what to write instead.</param>
public sealed record SpecProblem(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
