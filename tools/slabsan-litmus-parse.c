// SPDX-License-Identifier: Apache-2.0
/* slabsan-litmus's parser: herd7's C litmus format into struct lt_test.
 * P bodies are C and stay C; they are only scanned for their registers, so
 * the generated program can run them nearly verbatim. */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "slabsan-litmus.h"

/* ---- helpers shared by the tool's files */

void *lt_xmalloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);
	if (!p) {
		fprintf(stderr, "slabsan-litmus: error: out of memory\n");
		exit(1);
	}
	return p;
}

char *lt_xstrndup(const char *s, size_t n)
{
	char *p = lt_xmalloc(n + 1);
	memcpy(p, s, n);
	return p;
}

char *lt_xstrdup(const char *s) { return lt_xstrndup(s, strlen(s)); }

char *lt_xvasprintf(const char *fmt, va_list ap)
{
	char *s;
	if (vasprintf(&s, fmt, ap) < 0) {
		fprintf(stderr, "slabsan-litmus: error: out of memory\n");
		exit(1);
	}
	return s;
}

char *lt_xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = lt_xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

void *lt_grow(void *array, int count, size_t size)
{
	char *grown = realloc(array, (size_t)(count + 1) * size);
	if (!grown) {
		fprintf(stderr, "slabsan-litmus: error: out of memory\n");
		exit(1);
	}
	memset(grown + (size_t)count * size, 0, size);
	return grown;
}

int lt_find_var(const struct lt_test *test, const char *name)
{
	for (int i = 0; i < test->nvars; i++)
		if (!strcmp(test->vars[i].name, name))
			return i;
	return -1;
}

int lt_find_reg(const struct lt_proc *proc, const char *name)
{
	for (int i = 0; i < proc->nregs; i++)
		if (!strcmp(proc->regs[i].name, name))
			return i;
	return -1;
}

/* ---- errors: every one names the file and the line, then unwinds to lt_parse */

struct parser {
	const char *path;
	const char *src;
	size_t pos;
	int line;
	struct lt_test *test;
	size_t condition_end;   /* just past the last token of a condition read so far */
	char *err;
	size_t err_size;
	jmp_buf fail;
};

static _Noreturn void __attribute__((format(printf, 3, 4)))
fail_at(struct parser *p, int line, const char *fmt, ...)
{
	int n = snprintf(p->err, p->err_size, "%s:%d: error: ", p->path, line);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->err_size)
		vsnprintf(p->err + n, p->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	longjmp(p->fail, 1);
}

/* ---- characters of the litmus file outside C bodies */

static int peek(const struct parser *p) { return (unsigned char)p->src[p->pos]; }

static void advance(struct parser *p)
{
	if (p->src[p->pos] == '\n')
		p->line++;
	if (p->src[p->pos])
		p->pos++;
}

static bool at(const struct parser *p, const char *s)
{
	return !strncmp(p->src + p->pos, s, strlen(s));
}

/* Whitespace, OCaml comments (which nest) and C comments. */
static void skip_blank(struct parser *p)
{
	for (;;) {
		if (isspace(peek(p))) {
			advance(p);
		} else if (at(p, "(*")) {
			int start = p->line, depth = 0;
			do {
				if (at(p, "(*")) {
					depth++;
					advance(p);
				} else if (at(p, "*)")) {
					depth--;
					advance(p);
				} else if (!peek(p)) {
					fail_at(p, start, "unterminated comment '(*'");
				}
				advance(p);
			} while (depth > 0);
		} else if (at(p, "/*")) {
			int start = p->line;
			while (!at(p, "*/")) {
				if (!peek(p))
					fail_at(p, start, "unterminated comment '/*'");
				advance(p);
			}
			advance(p);
			advance(p);
		} else if (at(p, "//")) {
			while (peek(p) && peek(p) != '\n')
				advance(p);
		} else {
			return;
		}
	}
}

/* How much of what comes next an error message quotes: the rest of the
 * line, at most 20 characters. */
static int snippet_length(const struct parser *p)
{
	int n = 0;
	while (n < 20 && p->src[p->pos + n] && p->src[p->pos + n] != '\n')
		n++;
	return n;
}

static bool is_ident_start(int c) { return isalpha(c) || c == '_'; }
static bool is_ident_char(int c) { return isalnum(c) || c == '_'; }

static char *read_ident(struct parser *p)
{
	size_t start = p->pos;
	if (!is_ident_start(peek(p)))
		return NULL;
	while (is_ident_char(peek(p)))
		advance(p);
	return lt_xstrndup(p->src + start, p->pos - start);
}

static bool next_word_is(struct parser *p, const char *word)
{
	size_t n = strlen(word);
	return at(p, word) && !is_ident_char((unsigned char)p->src[p->pos + n]);
}

static void expect_char(struct parser *p, int c, const char *context)
{
	skip_blank(p);
	if (peek(p) != c)
		fail_at(p, p->line, "expected '%c' %s", c, context);
	advance(p);
}

/* From an opening bracket to its match, skipping C comments, strings and
 * character literals; returns the offset just past the closing bracket. */
static size_t match_bracket(struct parser *p, char open, char close)
{
	int start = p->line, depth = 0;
	do {
		int c = peek(p);
		if (!c)
			fail_at(p, start, "unbalanced '%c': no matching '%c'", open, close);
		if (at(p, "/*")) {
			while (peek(p) && !at(p, "*/"))
				advance(p);
			advance(p);
		} else if (at(p, "//")) {
			while (peek(p) && peek(p) != '\n')
				advance(p);
			continue;
		} else if (c == '"' || c == '\'') {
			advance(p);
			while (peek(p) && peek(p) != c && peek(p) != '\n') {
				if (peek(p) == '\\')
					advance(p);
				advance(p);
			}
		} else if (c == open) {
			depth++;
		} else if (c == close) {
			depth--;
		}
		advance(p);
	} while (depth > 0);
	return p->pos;
}

/* ---- C tokens, for declarations and P bodies */

enum tok_kind { TOK_IDENT, TOK_NUMBER, TOK_PUNCT, TOK_OTHER };

struct token {
	enum tok_kind kind;
	size_t offset, len;   /* within the tokenized text */
	int line;
};

static const char *const multi_char_puncts[] = {
	"<<=", ">>=", "->", "++", "--", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||",
	"+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=",
};

static int tokenize(const char *text, size_t len, int first_line, struct token **out)
{
	int n = 0, line = first_line;
	*out = NULL;
	for (size_t i = 0; i < len;) {
		char c = text[i];
		if (c == '\n') {
			line++;
			i++;
			continue;
		}
		if (isspace((unsigned char)c)) {
			i++;
			continue;
		}
		if (c == '/' && i + 1 < len && (text[i + 1] == '*' || text[i + 1] == '/')) {
			bool block = text[i + 1] == '*';
			for (i += 2; i < len; i++) {
				if (block && text[i] == '*' && i + 1 < len && text[i + 1] == '/') {
					i += 2;
					break;
				}
				if (!block && text[i] == '\n')
					break;
				if (text[i] == '\n')
					line++;
			}
			continue;
		}
		struct token *t = LT_PUSH(*out, n);
		t->offset = i;
		t->line = line;
		if (is_ident_start((unsigned char)c)) {
			while (i < len && is_ident_char((unsigned char)text[i]))
				i++;
			t->kind = TOK_IDENT;
		} else if (isdigit((unsigned char)c)) {
			while (i < len && (isalnum((unsigned char)text[i]) || text[i] == '.'))
				i++;
			t->kind = TOK_NUMBER;
		} else if (c == '"' || c == '\'') {
			for (i++; i < len && text[i] != c && text[i] != '\n'; i++)
				if (text[i] == '\\')
					i++;
			i++;
			t->kind = TOK_OTHER;
		} else {
			t->kind = TOK_PUNCT;
			size_t width = 1;
			for (size_t k = 0; k < sizeof multi_char_puncts / sizeof *multi_char_puncts; k++) {
				size_t w = strlen(multi_char_puncts[k]);
				if (w > width && i + w <= len && !strncmp(text + i, multi_char_puncts[k], w))
					width = w;
			}
			i += width;
		}
		t->len = (i > len ? len : i) - t->offset;
	}
	return n;
}

static bool tok_is(const char *text, const struct token *t, const char *s)
{
	return t->len == strlen(s) && !strncmp(text + t->offset, s, t->len);
}

static char *tok_dup(const char *text, const struct token *t)
{
	return lt_xstrndup(text + t->offset, t->len);
}

static bool is_assignment(const char *text, const struct token *t)
{
	static const char *const ops[] = {"=", "+=", "-=", "*=", "/=", "%=", "&=", "|=",
					  "^=", "<<=", ">>="};
	for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
		if (tok_is(text, t, ops[i]))
			return true;
	return false;
}

static bool in_list(const char *text, const struct token *t, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tok_is(text, t, list[i]))
			return true;
	return false;
}

/* Types a register can have: what fits in the intptr_t it is captured into. */
static const char *const scalar_types[] = {
	"int", "long", "short", "char", "unsigned", "signed", "bool", "_Bool",
	"intptr_t", "uintptr_t", "size_t", "ssize_t", "u8", "u16", "u32", "u64",
	"s8", "s16", "s32", "s64",
};
static const char *const other_type_words[] = {
	"const", "volatile", "static", "register", "void", "struct", "union", "enum",
	"atomic_t", "atomic_long_t", "spinlock_t", "refcount_t",
};
#define COUNT(a) (sizeof(a) / sizeof *(a))

static bool is_type_word(const char *text, const struct token *t)
{
	return t->kind == TOK_IDENT && (in_list(text, t, scalar_types, COUNT(scalar_types)) ||
					in_list(text, t, other_type_words, COUNT(other_type_words)));
}

/* "int" plus n stars: "int *", "int **". */
static char *pointer_type(const char *base, int stars)
{
	size_t n = strlen(base);
	char *type = lt_xmalloc(n + (size_t)stars + 2);
	memcpy(type, base, n);
	if (stars) {
		type[n++] = ' ';
		memset(type + n, '*', (size_t)stars);
	}
	return type;
}

/* Joins identifier tokens [from, to) with single spaces: the base type. */
static char *join_words(const char *text, const struct token *toks, int from, int to)
{
	size_t size = 1;
	for (int i = from; i < to; i++)
		size += toks[i].len + 1;
	char *out = lt_xmalloc(size), *w = out;
	for (int i = from; i < to; i++) {
		if (toks[i].kind != TOK_IDENT)
			continue;
		if (w != out)
			*w++ = ' ';
		memcpy(w, text + toks[i].offset, toks[i].len);
		w += toks[i].len;
	}
	return out;
}

/* ---- P bodies: registers and their zero initialization */

struct insertion {
	size_t offset;
	char *text;
};

struct body_scan {
	const char *text;
	struct token *toks;
	int ntoks;
	char **declared;         /* every local, at any depth */
	int ndeclared;
	struct insertion *inserts;
	int ninserts;
};

static bool name_in(char **names, int n, const char *text, const struct token *t)
{
	for (int i = 0; i < n; i++)
		if (tok_is(text, t, names[i]))
			return true;
	return false;
}

/* A declaration starting at token i: records its names, registers (when at
 * the body's top level) and the " = 0" an uninitialized scalar needs, since
 * herd7's registers start at 0. Returns the index past its ';'. */
static int scan_declaration(struct body_scan *s, struct lt_proc *proc, int i, bool top_level)
{
	const char *text = s->text;
	int base_from = i;
	bool scalar_base = false;
	while (i < s->ntoks && is_type_word(text, &s->toks[i])) {
		if (in_list(text, &s->toks[i], scalar_types, COUNT(scalar_types)))
			scalar_base = true;
		bool tagged = tok_is(text, &s->toks[i], "struct") ||
			      tok_is(text, &s->toks[i], "union") || tok_is(text, &s->toks[i], "enum");
		i++;
		if (tagged && i < s->ntoks && s->toks[i].kind == TOK_IDENT)
			i++;   /* the tag */
	}
	char *base = join_words(text, s->toks, base_from, i);
	while (i < s->ntoks) {
		int stars = 0;
		while (i < s->ntoks && (tok_is(text, &s->toks[i], "*") ||
					tok_is(text, &s->toks[i], "const") ||
					tok_is(text, &s->toks[i], "volatile")))
			stars += tok_is(text, &s->toks[i++], "*");
		if (i >= s->ntoks || s->toks[i].kind != TOK_IDENT)
			break;   /* not a declarator we understand: leave it to the compiler */
		const struct token *name = &s->toks[i++];
		bool array = false;
		while (i < s->ntoks && tok_is(text, &s->toks[i], "[")) {
			array = true;
			while (i < s->ntoks && !tok_is(text, &s->toks[i], "]"))
				i++;
			i++;
		}
		*LT_PUSH(s->declared, s->ndeclared) = tok_dup(text, name);
		bool capturable = !array && (scalar_base || stars > 0);
		if (i < s->ntoks && tok_is(text, &s->toks[i], "=")) {
			int depth = 0;
			for (; i < s->ntoks; i++) {
				const struct token *t = &s->toks[i];
				if (tok_is(text, t, "(") || tok_is(text, t, "{") || tok_is(text, t, "["))
					depth++;
				else if (tok_is(text, t, ")") || tok_is(text, t, "}") || tok_is(text, t, "]"))
					depth--;
				else if (depth == 0 && (tok_is(text, t, ",") || tok_is(text, t, ";")))
					break;
			}
		} else if (capturable) {
			struct insertion *ins = LT_PUSH(s->inserts, s->ninserts);
			ins->offset = s->toks[i - 1].offset + s->toks[i - 1].len;
			ins->text = lt_xstrdup(" = 0");
		}
		if (top_level && capturable) {
			struct lt_reg *reg = LT_PUSH(proc->regs, proc->nregs);
			reg->name = tok_dup(text, name);
			reg->type = pointer_type(base, stars);
		}
		if (i < s->ntoks && tok_is(text, &s->toks[i], ","))
			i++;
		else
			break;
	}
	free(base);
	while (i < s->ntoks && !tok_is(text, &s->toks[i], ";"))
		i++;
	return i + 1;
}

static int compare_insertions(const void *a, const void *b)
{
	size_t x = ((const struct insertion *)a)->offset, y = ((const struct insertion *)b)->offset;
	return x < y ? -1 : x > y;
}

static void scan_body(struct parser *p, struct lt_proc *proc, const char *body, int line)
{
	struct body_scan s = {.text = body};
	s.ntoks = tokenize(body, strlen(body), line, &s.toks);
	for (int i = 0; i < proc->nparams; i++)
		*LT_PUSH(s.declared, s.ndeclared) =
			lt_xstrdup(proc->params[i]);

	/* Declarations first, so a name declared anywhere is not made implicit. */
	int depth = 0;
	for (int i = 0; i < s.ntoks;) {
		const struct token *t = &s.toks[i];
		const struct token *prev = i ? &s.toks[i - 1] : NULL;
		bool statement_start = prev && (tok_is(body, prev, "{") || tok_is(body, prev, "}") ||
						tok_is(body, prev, ";"));
		/* for (int i = 0; ...) declares a loop variable, never a register */
		bool for_init = i >= 2 && tok_is(body, prev, "(") && tok_is(body, &s.toks[i - 2], "for");
		if ((statement_start || for_init) && is_type_word(body, t)) {
			i = scan_declaration(&s, proc, i, depth == 1 && !for_init);
			continue;
		}
		if (tok_is(body, t, "{"))
			depth++;
		else if (tok_is(body, t, "}"))
			depth--;
		if (t->kind == TOK_IDENT && (tok_is(body, t, "spin_lock") ||
					     tok_is(body, t, "spin_trylock") ||
					     tok_is(body, t, "spin_unlock")))
			proc->uses_locks = true;
		i++;
	}

	/* herd7 accepts registers that are assigned without a declaration
	 * (C-MP-rcuderef's `r1 = *r0;`): they are ints starting at 0. */
	char *implicit = lt_xstrdup("");
	for (int i = 0; i + 1 < s.ntoks; i++) {
		const struct token *t = &s.toks[i];
		const struct token *prev = i ? &s.toks[i - 1] : NULL;
		if (t->kind != TOK_IDENT || !is_assignment(body, &s.toks[i + 1]))
			continue;
		if (prev && (tok_is(body, prev, ".") || tok_is(body, prev, "->")))
			continue;   /* a field */
		if (name_in(s.declared, s.ndeclared, body, t))
			continue;
		char *name = tok_dup(body, t);
		*LT_PUSH(s.declared, s.ndeclared) = lt_xstrdup(name);
		struct lt_reg *reg = LT_PUSH(proc->regs, proc->nregs);
		reg->name = name;
		reg->type = lt_xstrdup("int");
		reg->implicit = true;
		char *grown;
		if (asprintf(&grown, "%s int %s = 0;", implicit, name) < 0)
			fail_at(p, t->line, "out of memory");
		free(implicit);
		implicit = grown;
	}
	if (*implicit) {
		struct insertion *ins = LT_PUSH(s.inserts, s.ninserts);
		ins->offset = 1;   /* just inside the body's '{', on its line */
		ins->text = implicit;
	} else {
		free(implicit);
	}

	/* The rewritten body: insertions only, never a newline added or lost,
	 * so the #line directive before it keeps every line true. */
	qsort(s.inserts, (size_t)s.ninserts, sizeof *s.inserts, compare_insertions);
	size_t size = strlen(body) + 1;
	for (int i = 0; i < s.ninserts; i++)
		size += strlen(s.inserts[i].text);
	char *out = lt_xmalloc(size), *w = out;
	size_t copied = 0;
	for (int i = 0; i < s.ninserts; i++) {
		memcpy(w, body + copied, s.inserts[i].offset - copied);
		w += s.inserts[i].offset - copied;
		copied = s.inserts[i].offset;
		w = stpcpy(w, s.inserts[i].text);
		free(s.inserts[i].text);
	}
	strcpy(w, body + copied);
	proc->body = out;

	for (int i = 0; i < s.ndeclared; i++)
		free(s.declared[i]);
	free(s.declared);
	free(s.inserts);
	free(s.toks);
}

/* ---- the initial state: `{ int x = 1; int *y = &x; z = 2; }` */

static struct lt_var *add_var(struct parser *p, const char *name, char *type, int line)
{
	int known = lt_find_var(p->test, name);
	if (known >= 0)
		fail_at(p, line, "'%s' is declared twice (first at line %d)", name,
			p->test->vars[known].line);
	struct lt_var *v = LT_PUSH(p->test->vars, p->test->nvars);
	v->name = lt_xstrdup(name);
	v->type = type;
	v->line = line;
	return v;
}

static void parse_declaration(struct parser *p, const char *text, const struct token *toks,
			      int from, int to)
{
	int eq = from;
	while (eq < to && !tok_is(text, &toks[eq], "="))
		eq++;
	int line = toks[from].line;
	if (toks[from].kind == TOK_NUMBER && from + 1 < to && tok_is(text, &toks[from + 1], ":"))
		fail_at(p, line, "initial register values (%.*s:...) are not supported",
			(int)toks[from].len, text + toks[from].offset);
	int name_at = eq - 1;
	if (name_at < from || toks[name_at].kind != TOK_IDENT)
		fail_at(p, line, "expected a declaration such as 'int x = 1;' in the initial state");
	int stars = 0;
	for (int i = from; i < name_at; i++) {
		if (tok_is(text, &toks[i], "*"))
			stars++;
		else if (toks[i].kind != TOK_IDENT)
			fail_at(p, toks[i].line, "unexpected '%.*s' in the declaration of '%.*s'",
				(int)toks[i].len, text + toks[i].offset, (int)toks[name_at].len,
				text + toks[name_at].offset);
	}
	char *base = name_at > from ? join_words(text, toks, from, name_at) : lt_xstrdup("int");
	char *name = tok_dup(text, &toks[name_at]);
	struct lt_var *v = add_var(p, name, pointer_type(base, stars), line);
	free(base);
	free(name);
	if (eq < to) {
		if (eq + 1 >= to)
			fail_at(p, line, "missing value after '=' for '%s'", v->name);
		size_t start = toks[eq + 1].offset;
		size_t end = toks[to - 1].offset + toks[to - 1].len;
		v->init = lt_xstrndup(text + start, end - start);
	}
}

static void parse_initial_state(struct parser *p)
{
	skip_blank(p);
	if (peek(p) == '"') {   /* herd7's optional doc string */
		advance(p);
		while (peek(p) && peek(p) != '"')
			advance(p);
		advance(p);
		skip_blank(p);
	}
	if (peek(p) != '{')
		fail_at(p, p->line, "expected '{' starting the initial state");
	int line = p->line;
	size_t start = p->pos;
	size_t end = match_bracket(p, '{', '}');
	char *text = lt_xstrndup(p->src + start + 1, end - start - 2);
	struct token *toks;
	int n = tokenize(text, strlen(text), line, &toks);
	for (int from = 0, i = 0; i <= n; i++) {
		if (i < n && !tok_is(text, &toks[i], ";"))
			continue;
		if (i > from)
			parse_declaration(p, text, toks, from, i);
		from = i + 1;
	}
	/* `int *x = &a;` with no `a` declared: herd7 makes `a` an int 0. */
	for (int i = 0; i + 1 < n; i++)
		if (tok_is(text, &toks[i], "&") && toks[i + 1].kind == TOK_IDENT) {
			char *name = tok_dup(text, &toks[i + 1]);
			if (lt_find_var(p->test, name) < 0)
				add_var(p, name, lt_xstrdup("int"), toks[i + 1].line);
			free(name);
		}
	free(toks);
	free(text);
}

/* ---- processes: `P0(int *x, int **y) { ... }` */

static void parse_params(struct parser *p, struct lt_proc *proc, const char *text, int line)
{
	struct token *toks;
	int n = tokenize(text, strlen(text), line, &toks);
	for (int from = 0, i = 0; i <= n; i++) {
		if (i < n && !tok_is(text, &toks[i], ","))
			continue;
		if (i == from) {
			if (n > 0)
				fail_at(p, line, "empty parameter in P%d", proc->index);
			break;
		}
		const struct token *name = &toks[i - 1];
		if (name->kind != TOK_IDENT)
			fail_at(p, name->line, "expected a parameter name in P%d", proc->index);
		int stars = 0;
		for (int k = from; k < i - 1; k++)
			stars += tok_is(text, &toks[k], "*");
		char *pname = tok_dup(text, name);
		if (stars == 0)
			fail_at(p, name->line,
				"parameter '%s' of P%d must be a pointer to a shared variable", pname,
				proc->index);
		char *base = join_words(text, toks, from, i - 1);
		char *var_type = pointer_type(base, stars - 1);
		free(base);
		int known = lt_find_var(p->test, pname);
		if (known < 0) {
			add_var(p, pname, var_type, name->line);
		} else {
			const struct lt_var *v = &p->test->vars[known];
			if (strcmp(v->type, var_type))
				fail_at(p, name->line,
					"parameter '%s' of P%d points to '%s' but '%s' is '%s' (line %d)",
					pname, proc->index, var_type, pname, v->type, v->line);
			free(var_type);
		}
		*LT_PUSH(proc->params, proc->nparams) = pname;
		from = i + 1;
	}
	free(toks);
}

static bool at_process(struct parser *p)
{
	if (peek(p) != 'P' || !isdigit((unsigned char)p->src[p->pos + 1]))
		return false;
	size_t i = p->pos + 1;
	while (isdigit((unsigned char)p->src[i]))
		i++;
	while (p->src[i] == ' ' || p->src[i] == '\t')
		i++;
	return p->src[i] == '(';
}

static void parse_process(struct parser *p)
{
	struct lt_test *test = p->test;
	size_t header_start = p->pos;
	int line = p->line;
	advance(p);
	int index = (int)strtol(p->src + p->pos, NULL, 10);
	while (isdigit(peek(p)))
		advance(p);
	if (index != test->nprocs)
		fail_at(p, line, "expected P%d here, found P%d (processes are numbered from 0 in order)",
			test->nprocs, index);
	struct lt_proc *proc = LT_PUSH(test->procs, test->nprocs);
	proc->index = index;
	proc->line = line;
	skip_blank(p);
	size_t params_start = p->pos;
	int params_line = p->line;
	size_t params_end = match_bracket(p, '(', ')');
	char *params = lt_xstrndup(p->src + params_start + 1, params_end - params_start - 2);
	parse_params(p, proc, params, params_line);
	free(params);
	skip_blank(p);
	if (peek(p) != '{')
		fail_at(p, p->line, "expected '{' starting the body of P%d", index);
	proc->header = lt_xstrndup(p->src + header_start, p->pos - header_start);
	size_t body_start = p->pos;
	int body_line = p->line;
	size_t body_end = match_bracket(p, '{', '}');
	char *body = lt_xstrndup(p->src + body_start, body_end - body_start);
	scan_body(p, proc, body, body_line);
	free(body);
}

/* ---- conditions: `exists (0:r1=1 /\ ~(x=2 \/ 1:r0=y))` */

static struct lt_cond *new_cond(enum lt_cond_kind kind, int line)
{
	struct lt_cond *c = lt_xmalloc(sizeof *c);
	c->kind = kind;
	c->line = line;
	return c;
}

static void free_cond(struct lt_cond *c)
{
	if (!c)
		return;
	free_cond(c->lhs);
	free_cond(c->rhs);
	free(c->loc.name);
	free(c->value.name);
	free(c);
}

static void parse_location(struct parser *p, struct lt_location *loc)
{
	skip_blank(p);
	int line = p->line;
	if (isdigit(peek(p))) {
		char *end;
		loc->proc = (int)strtol(p->src + p->pos, &end, 10);
		while (p->src + p->pos < end)
			advance(p);
		if (peek(p) != ':')
			fail_at(p, line, "expected ':' after the process number %d", loc->proc);
		advance(p);
		loc->name = read_ident(p);
		if (!loc->name)
			fail_at(p, line, "expected a register name after '%d:'", loc->proc);
		return;
	}
	loc->proc = -1;
	loc->name = read_ident(p);
	if (!loc->name)
		fail_at(p, line, "expected a register (N:reg) or a shared variable, found '%.*s'",
			snippet_length(p), p->src + p->pos);
}

static void parse_value(struct parser *p, struct lt_value *value)
{
	skip_blank(p);
	int line = p->line;
	if (peek(p) == '&')   /* herd7 accepts both `y` and `&y` for an address */
		advance(p);
	if (is_ident_start(peek(p))) {
		value->is_address = true;
		value->name = read_ident(p);
		return;
	}
	char *end;
	errno = 0;
	value->number = strtoll(p->src + p->pos, &end, 0);
	if (end == p->src + p->pos || errno)
		fail_at(p, line, "expected a value (an integer or a variable name), found '%.*s'",
			snippet_length(p), p->src + p->pos);
	while (p->src + p->pos < end)
		advance(p);
}

static struct lt_cond *parse_or(struct parser *p);

static struct lt_cond *parse_unary(struct parser *p)
{
	skip_blank(p);
	int line = p->line;
	if (peek(p) == '~') {
		advance(p);
		struct lt_cond *c = new_cond(LT_COND_NOT, line);
		c->lhs = parse_unary(p);
		return c;
	}
	if (peek(p) == '(') {
		advance(p);
		struct lt_cond *c = parse_or(p);
		expect_char(p, ')', "closing the parenthesis");
		p->condition_end = p->pos;
		return c;
	}
	if (next_word_is(p, "true") || next_word_is(p, "false")) {
		bool yes = next_word_is(p, "true");
		p->pos += yes ? 4 : 5;
		p->condition_end = p->pos;
		return new_cond(yes ? LT_COND_TRUE : LT_COND_FALSE, line);
	}
	struct lt_cond *c = new_cond(LT_COND_EQ, line);
	parse_location(p, &c->loc);
	skip_blank(p);
	bool negate = at(p, "!=");
	if (at(p, "==") || negate)
		advance(p);
	else if (peek(p) != '=')
		fail_at(p, p->line, "expected '=' after '%s'", c->loc.name);
	advance(p);
	parse_value(p, &c->value);
	p->condition_end = p->pos;
	if (!negate)
		return c;
	struct lt_cond *n = new_cond(LT_COND_NOT, line);
	n->lhs = c;
	return n;
}

static struct lt_cond *parse_and(struct parser *p)
{
	struct lt_cond *c = parse_unary(p);
	for (skip_blank(p); at(p, "/\\"); skip_blank(p)) {
		struct lt_cond *both = new_cond(LT_COND_AND, p->line);
		p->pos += 2;
		both->lhs = c;
		both->rhs = parse_unary(p);
		c = both;
	}
	return c;
}

static struct lt_cond *parse_or(struct parser *p)
{
	struct lt_cond *c = parse_and(p);
	for (skip_blank(p); at(p, "\\/"); skip_blank(p)) {
		struct lt_cond *either = new_cond(LT_COND_OR, p->line);
		p->pos += 2;
		either->lhs = c;
		either->rhs = parse_and(p);
		c = either;
	}
	return c;
}

/* A condition and, for output, its text with whitespace runs collapsed. */
static struct lt_cond *parse_condition(struct parser *p, char **text)
{
	skip_blank(p);
	size_t start = p->pos;
	struct lt_cond *c = parse_or(p);
	if (text) {
		char *t = lt_xmalloc(p->condition_end - start + 1), *w = t;
		for (size_t i = start; i < p->condition_end; i++) {
			bool space = isspace((unsigned char)p->src[i]);
			if (!space)
				*w++ = p->src[i];
			else if (w > t && w[-1] != ' ')
				*w++ = ' ';
		}
		*text = t;
	}
	return c;
}

static void show_location(struct lt_test *test, const struct lt_location *loc)
{
	for (int i = 0; i < test->nshown; i++)
		if (test->shown[i].proc == loc->proc && !strcmp(test->shown[i].name, loc->name))
			return;
	struct lt_location *s = LT_PUSH(test->shown, test->nshown);
	s->proc = loc->proc;
	s->name = lt_xstrdup(loc->name);
}

static void check_location(struct parser *p, const struct lt_location *loc, int line)
{
	const struct lt_test *test = p->test;
	if (loc->proc < 0) {
		if (lt_find_var(test, loc->name) < 0)
			fail_at(p, line, "'%s' is not a shared variable of this test", loc->name);
		return;
	}
	if (loc->proc >= test->nprocs)
		fail_at(p, line, "'%d:%s' names P%d, but the test has %d process%s", loc->proc,
			loc->name, loc->proc, test->nprocs, test->nprocs == 1 ? "" : "es");
	if (lt_find_reg(&test->procs[loc->proc], loc->name) < 0)
		fail_at(p, line, "'%d:%s': P%d has no register '%s' declared at its top level",
			loc->proc, loc->name, loc->proc, loc->name);
}

/* Every location and address a condition names must exist; its locations
 * join those an outcome lists. */
static void check_condition(struct parser *p, const struct lt_cond *c)
{
	if (!c)
		return;
	check_condition(p, c->lhs);
	check_condition(p, c->rhs);
	if (c->kind != LT_COND_EQ)
		return;
	check_location(p, &c->loc, c->line);
	if (c->value.is_address && lt_find_var(p->test, c->value.name) < 0)
		fail_at(p, c->line, "'%s' is not a shared variable of this test", c->value.name);
	show_location(p->test, &c->loc);
}

static void parse_locations_clause(struct parser *p)
{
	expect_char(p, '[', "after 'locations'");
	for (;;) {
		skip_blank(p);
		if (peek(p) == ']') {
			advance(p);
			return;
		}
		int line = p->line;
		struct lt_location loc = {0};
		parse_location(p, &loc);
		check_location(p, &loc, line);
		show_location(p->test, &loc);
		free(loc.name);
		skip_blank(p);
		if (peek(p) == ';')
			advance(p);
		else if (peek(p) != ']')
			fail_at(p, p->line, "expected ';' or ']' in the locations clause");
	}
}

static void parse_clauses(struct parser *p)
{
	struct lt_test *test = p->test;
	for (;;) {
		skip_blank(p);
		if (!peek(p))
			break;
		int line = p->line;
		if (next_word_is(p, "locations")) {
			p->pos += strlen("locations");
			parse_locations_clause(p);
			continue;
		}
		if (next_word_is(p, "filter")) {
			if (test->filter)
				fail_at(p, line, "a second filter clause");
			p->pos += strlen("filter");
			test->filter = parse_condition(p, NULL);
			check_condition(p, test->filter);
			continue;
		}
		enum lt_final_kind kind;
		if (next_word_is(p, "exists")) {
			kind = LT_EXISTS;
			p->pos += strlen("exists");
		} else if (next_word_is(p, "forall")) {
			kind = LT_FORALL;
			p->pos += strlen("forall");
		} else if (peek(p) == '~') {
			advance(p);
			skip_blank(p);
			if (!next_word_is(p, "exists"))
				fail_at(p, line, "expected 'exists' after '~'");
			p->pos += strlen("exists");
			kind = LT_NOT_EXISTS;
		} else {
			fail_at(p, line, "unexpected '%.*s' after the processes (expected exists, "
				"~exists, forall, filter or locations)", snippet_length(p), p->src + p->pos);
		}
		if (test->final)
			fail_at(p, line, "a second final condition (exists, ~exists or forall)");
		test->final_kind = kind;
		test->final = parse_condition(p, &test->final_text);
		check_condition(p, test->final);
	}
	if (!test->final)
		fail_at(p, p->line, "missing the final condition (exists, ~exists or forall)");
}

/* ---- the whole file */

static void parse_header(struct parser *p)
{
	skip_blank(p);
	if (!(peek(p) == 'C' && (p->src[p->pos + 1] == ' ' || p->src[p->pos + 1] == '\t')))
		fail_at(p, p->line, "expected the header line 'C <name>' (is this a C litmus test?)");
	advance(p);
	while (peek(p) == ' ' || peek(p) == '\t')
		advance(p);
	size_t start = p->pos;
	while (peek(p) && !isspace(peek(p)))
		advance(p);
	if (p->pos == start)
		fail_at(p, p->line, "the header line 'C <name>' has no name");
	p->test->name = lt_xstrndup(p->src + start, p->pos - start);
	while (peek(p) && peek(p) != '\n')
		advance(p);
}

static char *read_file(const char *path, char *err, size_t err_size)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, err_size, "%s: error: cannot open: %s", path, strerror(errno));
		return NULL;
	}
	char *text = NULL;
	size_t size = 0, used = 0, n;
	do {
		if (used + 4096 + 1 > size) {
			size = 2 * size + 4096 + 1;
			char *grown = realloc(text, size);
			if (!grown) {
				free(text);
				fclose(f);
				snprintf(err, err_size, "%s: error: out of memory", path);
				return NULL;
			}
			text = grown;
		}
		n = fread(text + used, 1, 4096, f);
		used += n;
	} while (n > 0);
	bool failed = ferror(f);
	fclose(f);
	if (failed || memchr(text, '\0', used)) {
		snprintf(err, err_size, "%s: error: %s", path,
			 failed ? "cannot read the file" : "not a text file (contains NUL bytes)");
		free(text);
		return NULL;
	}
	text[used] = '\0';
	return text;
}

/* Kept apart from lt_parse so that nothing live across setjmp is clobbered. */
static bool parse_text(struct parser *p)
{
	if (setjmp(p->fail))
		return false;
	parse_header(p);
	parse_initial_state(p);
	for (skip_blank(p); at_process(p); skip_blank(p))
		parse_process(p);
	if (p->test->nprocs == 0)
		fail_at(p, p->line, "expected a process 'P0(...) { ... }'");
	parse_clauses(p);
	return true;
}

bool lt_parse(const char *path, struct lt_test *test, char *err, size_t err_size)
{
	memset(test, 0, sizeof *test);
	test->path = lt_xstrdup(path);
	char *src = read_file(path, err, err_size);
	if (!src)
		return false;
	struct parser p = {.path = path, .src = src, .line = 1, .test = test,
			   .err = err, .err_size = err_size};
	bool ok = parse_text(&p);
	free(src);
	return ok;
}

void lt_free(struct lt_test *test)
{
	for (int i = 0; i < test->nvars; i++) {
		free(test->vars[i].name);
		free(test->vars[i].type);
		free(test->vars[i].init);
	}
	for (int i = 0; i < test->nprocs; i++) {
		struct lt_proc *proc = &test->procs[i];
		for (int k = 0; k < proc->nparams; k++)
			free(proc->params[k]);
		for (int k = 0; k < proc->nregs; k++) {
			free(proc->regs[k].name);
			free(proc->regs[k].type);
		}
		free(proc->params);
		free(proc->regs);
		free(proc->header);
		free(proc->body);
	}
	for (int i = 0; i < test->nshown; i++)
		free(test->shown[i].name);
	free_cond(test->filter);
	free_cond(test->final);
	free(test->final_text);
	free(test->shown);
	free(test->vars);
	free(test->procs);
	free(test->path);
	free(test->name);
	memset(test, 0, sizeof *test);
}
