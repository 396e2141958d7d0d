using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Metal3.Conventions;

/// <summary>
/// A file named after a type holds that type only: someone looking for <c>BmcCapabilities</c> opens
/// <c>BmcCapabilities.cs</c>, not the file of whatever it happened to be written beside. Nested types, file-local
/// types and the type's own concrete variants (a test class's per-database subclasses) may stay; a file named after
/// none of its types (a family of small records) is not checked. The name is read up to the first dot, so the parts of
/// a partial type (<c>IpmiSession.Handshake.cs</c>) count as its file.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TypesInTheirOwnFiles : DiagnosticAnalyzer
{
    public static readonly DiagnosticDescriptor Stray = new(
        "M3F001", "A type in a file named after another type",
        "{0} is declared in {1}.cs, the file of {1}; move it to {0}.cs",
        "Conventions", DiagnosticSeverity.Error, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Stray);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterSyntaxTreeAction(Check);
    }

    private static void Check(SyntaxTreeAnalysisContext context)
    {
        string stem = Path.GetFileName(context.Tree.FilePath).Split('.')[0];
        var root = context.Tree.GetRoot(context.CancellationToken);
        var types = root.DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax)
            .OfType<MemberDeclarationSyntax>()
            .Where(m => m is BaseTypeDeclarationSyntax or DelegateDeclarationSyntax)
            .Where(m => !m.Modifiers.Any(SyntaxKind.FileKeyword))
            .ToList();
        if (!types.Any(t => Name(t) == stem))
        {
            return;
        }
        foreach (var type in types)
        {
            string name = Name(type);
            if (name == stem || DerivesFrom(type, stem))
            {
                continue;
            }
            var at = type is BaseTypeDeclarationSyntax b ? b.Identifier.GetLocation() : ((DelegateDeclarationSyntax)type).Identifier.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(Stray, at, name, stem));
        }
    }

    private static string Name(MemberDeclarationSyntax type) => type switch
    {
        BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
        DelegateDeclarationSyntax d => d.Identifier.ValueText,
        _ => "",
    };

    private static bool DerivesFrom(MemberDeclarationSyntax type, string baseName) =>
        type is BaseTypeDeclarationSyntax { BaseList: { } bases }
        && bases.Types.Any(t => t.Type switch
        {
            SimpleNameSyntax s => s.Identifier.ValueText == baseName,
            QualifiedNameSyntax q => q.Right.Identifier.ValueText == baseName,
            _ => false,
        });
}
