# SPDX-License-Identifier: MIT
# expr: the rule condition language (lexer, parser, type checker,
# evaluator, templates).
libtwadvise_a_SOURCES += \
	src/expr/expr.h \
	src/expr/diag.c src/expr/diag.h \
	src/expr/lexer.c src/expr/lexer.h \
	src/expr/ast.h src/expr/parser.c \
	src/expr/typecheck.c \
	src/expr/compile.c \
	src/expr/eval.c \
	src/expr/value.c \
	src/expr/template.c
