using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Metal3.Conventions;

/// <summary>
/// Every <c>[LoggerMessage]</c> names its EventId, and no two in one assembly share one: log pipelines and operators
/// filter and alert on the id, so an id of 0 or a reused id silently merges unrelated events.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LoggerMessageEventIds : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Missing = new(
        "M3L001", "LoggerMessage without an EventId",
        "[LoggerMessage] on {0} names no EventId; give it one unique in this assembly",
        "Conventions", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor Reused = new(
        "M3L002", "EventId used twice",
        "EventId {0} of {1} is also used by {2}",
        "Conventions", DiagnosticSeverity.Error, isEnabledByDefault: true);

    // Weakly keyed by the compilation, so nothing outlives it (what RS1008 warns against).
#pragma warning disable RS1008
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<int, string>> Seen = new();
#pragma warning restore RS1008

    private const string AttributeName = "Microsoft.Extensions.Logging.LoggerMessageAttribute";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Missing, Reused);

    public override void Initialize(AnalysisContext context)
    {
        // The logging source generator marks its half of each partial method [GeneratedCode], which makes the method
        // count as generated code: analysed anyway, or no [LoggerMessage] would ever be seen. The generated half
        // carries no [LoggerMessage] of its own.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxNodeAction(node =>
            {
                var attribute = (AttributeSyntax)node.Node;
                string name = attribute.Name.ToString();
                if (!name.EndsWith("LoggerMessage", System.StringComparison.Ordinal)
                    && !name.EndsWith("LoggerMessageAttribute", System.StringComparison.Ordinal))
                {
                    return;
                }
                // The attribute may be seen through more than one reference, which makes the binding ambiguous: take
                // the candidates too.
                var info = node.SemanticModel.GetSymbolInfo(attribute, node.CancellationToken);
                var ctor = (info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) as IMethodSymbol;
                if (ctor is null || ctor.ContainingType.ToDisplayString() != AttributeName)
                {
                    return;
                }
                string method = attribute.FirstAncestorOrSelf<MethodDeclarationSyntax>() is { } m
                    ? $"{(m.Parent as TypeDeclarationSyntax)?.Identifier.ValueText}.{m.Identifier.ValueText}"
                    : "?";
                int? id = EventId(attribute, ctor, node.SemanticModel, node.CancellationToken);
                if (id is null)
                {
                    node.ReportDiagnostic(Diagnostic.Create(Missing, attribute.GetLocation(), method));
                    return;
                }
                var seen = Seen.GetValue(node.SemanticModel.Compilation, _ => new ConcurrentDictionary<int, string>());
                string first = seen.GetOrAdd(id.Value, method);
                if (first != method)
                {
                    node.ReportDiagnostic(Diagnostic.Create(Reused, attribute.GetLocation(), id.Value, method, first));
                }
            }, SyntaxKind.Attribute);
    }

    /// <summary>The id from <c>EventId = n</c> or from the constructor's <c>eventId</c> parameter; null when absent.</summary>
    private static int? EventId(AttributeSyntax attribute, IMethodSymbol ctor, SemanticModel model, System.Threading.CancellationToken ct)
    {
        var arguments = attribute.ArgumentList?.Arguments ?? default;
        int position = 0;
        foreach (var argument in arguments)
        {
            if (argument.NameEquals is { } named)
            {
                if (named.Name.Identifier.ValueText == "EventId")
                {
                    return model.GetConstantValue(argument.Expression, ct).Value as int?;
                }
                continue;
            }
            string? parameter = argument.NameColon?.Name.Identifier.ValueText
                ?? (position < ctor.Parameters.Length ? ctor.Parameters[position].Name : null);
            position++;
            if (parameter == "eventId")
            {
                return model.GetConstantValue(argument.Expression, ct).Value as int?;
            }
        }
        return null;
    }
}
