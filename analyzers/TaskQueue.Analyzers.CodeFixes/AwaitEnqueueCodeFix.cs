using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace TaskQueue.Analyzers.CodeFixes;

/// <summary>TQ0018: puts <c>await</c> in front of a discarded enqueue, when the enclosing function is async.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AwaitEnqueueCodeFix)), Shared]
public sealed class AwaitEnqueueCodeFix : CodeFixProvider
{
    /// <inheritdoc/>
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticDescriptors.EnqueueNotAwaitedId);

    /// <inheritdoc/>
    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc/>
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true) is not ExpressionSyntax expression
                || !IsInAsyncFunction(expression))
            {
                // Outside an async function the right fix (make it async? store the task?) is the author's call.
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Await the enqueue",
                    _ =>
                    {
                        var awaited = SyntaxFactory.AwaitExpression(expression.WithoutLeadingTrivia())
                            .WithLeadingTrivia(expression.GetLeadingTrivia());
                        return Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(expression, awaited)));
                    },
                    equivalenceKey: nameof(AwaitEnqueueCodeFix)),
                diagnostic);
        }
    }

    private static bool IsInAsyncFunction(SyntaxNode node)
    {
        var function = node.Ancestors().FirstOrDefault(a =>
            a is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax);
        return function switch
        {
            MethodDeclarationSyntax m => m.Modifiers.Any(SyntaxKind.AsyncKeyword),
            LocalFunctionStatementSyntax l => l.Modifiers.Any(SyntaxKind.AsyncKeyword),
            AnonymousFunctionExpressionSyntax a => a.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword),
            _ => false,
        };
    }
}
