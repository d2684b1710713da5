/* The hot path of register.py's operator wrapper (`run` in `_make`), without a Python frame.
 *
 * FastOp(kernel, kernel1, slow, box_result, wrap_result, ndarray_type, tensor_type) is the
 * operator `nd.<name>`. A call with one or two positional arguments and no keywords, the
 * first exactly an NDArray and the second (if any) exactly an NDArray, a float or an int,
 * runs the kernel here and boxes a plain tensor result; every other call, and every call
 * whose kernel raises, goes to `slow` (the Python `run`, the specification) with the
 * original arguments. Kernels reachable here are pure (`out=` is a keyword), so `slow`
 * may re-run one that raised to give MXNet's error or to repair torch's grad mode.
 *
 * CPython API only; no torch headers. NDArray's `_t`, `_ctx` and `_grad` are read and
 * written through their __slots__ member offsets, found at construction.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

typedef struct {
    PyObject_HEAD
    vectorcallfunc vectorcall;
    PyObject *kernel;        /* kernel(t, other): two positional arguments */
    PyObject *kernel1;       /* kernel1(t): one positional argument */
    PyObject *slow;          /* the Python wrapper: everything else */
    PyObject *box_result;    /* box_result(tensor, ctx): a result that requires grad */
    PyObject *wrap_result;   /* wrap_result(res, ctx, None): tuples, lists, plain values */
    PyTypeObject *nd_type;
    PyTypeObject *tensor_type;
    PyObject *dict;          /* __name__, __qualname__, __doc__, __wrapped__, ... */
    Py_ssize_t off_t, off_ctx, off_grad;
} FastOp;

static PyObject *str_requires_grad;   /* interned "requires_grad" */

#define SLOT(obj, off) (*(PyObject **)((char *)(obj) + (off)))

static PyObject *box(FastOp *self, PyObject *res, PyObject *ctx);

/* Whether a call must go to `slow` before anything runs: keywords, a positional count
 * outside [lo, hi], or a first argument that is not exactly an NDArray. -1 with an error
 * set when the object was cleared by the garbage collector. */
static int
off_path(FastOp *self, PyObject *const *args, Py_ssize_t n, PyObject *kwnames,
         Py_ssize_t lo, Py_ssize_t hi)
{
    if (self->slow == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "FastOp: called after it was cleared");
        return -1;
    }
    return (kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) || n < lo || n > hi
           || Py_TYPE(args[0]) != self->nd_type;
}

static PyObject *
fastop_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    FastOp *self = (FastOp *)op;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    PyObject *x, *t, *ctx, *other = NULL, *res, *r;

    switch (off_path(self, args, n, kwnames, 1, 2)) {
    case -1: return NULL;
    case 1: goto slow;
    }
    x = args[0];
    t = SLOT(x, self->off_t);
    ctx = SLOT(x, self->off_ctx);
    if (t == NULL || ctx == NULL)             /* a slot never set: let Python say so */
        goto slow;
    if (n == 2) {
        PyObject *b = args[1];
        PyTypeObject *bt = Py_TYPE(b);
        if (bt == self->nd_type) {
            other = SLOT(b, self->off_t);
            if (other == NULL)
                goto slow;
        }
        else if (bt == &PyFloat_Type || bt == &PyLong_Type) {   /* bool is not exact int */
            other = b;
        }
        else
            goto slow;
    }

    /* Hold what the kernel gets: it may run arbitrary Python. */
    Py_INCREF(t);
    Py_INCREF(ctx);
    if (other == NULL) {
        res = PyObject_CallOneArg(self->kernel1, t);
    }
    else {
        PyObject *kargs[3] = {NULL, t, other};
        Py_INCREF(other);
        res = PyObject_Vectorcall(self->kernel, kargs + 1,
                                  2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        Py_DECREF(other);
    }
    Py_DECREF(t);
    if (res == NULL) {
        Py_DECREF(ctx);
        /* KeyboardInterrupt, SystemExit, ...: not ours to retry */
        if (!PyErr_ExceptionMatches(PyExc_Exception))
            return NULL;
        PyErr_Clear();
        goto slow;
    }

    if (Py_TYPE(res) != self->tensor_type) {          /* a list/tuple, a subclass, a value */
        r = PyObject_CallFunctionObjArgs(self->wrap_result, res, ctx, Py_None, NULL);
        goto done;
    }
    r = box(self, res, ctx);
done:
    Py_DECREF(res);
    Py_DECREF(ctx);
    return r;

slow:
    return PyObject_Vectorcall(self->slow, args, nargsf, kwnames);
}

/* An NDArray holding tensor `res` on `ctx` (new reference), or NULL with an error set:
 * boxed here, or by box_result when it requires grad (noted if recorded, else detached). */
static PyObject *
box(FastOp *self, PyObject *res, PyObject *ctx)
{
    PyObject *rg = PyObject_GetAttr(res, str_requires_grad), *r;
    int grad;

    if (rg == NULL)
        return NULL;
    grad = PyObject_IsTrue(rg);
    Py_DECREF(rg);
    if (grad < 0)
        return NULL;
    if (grad)
        return PyObject_CallFunctionObjArgs(self->box_result, res, ctx, NULL);
    r = self->nd_type->tp_alloc(self->nd_type, 0);
    if (r != NULL) {
        Py_INCREF(ctx);
        SLOT(r, self->off_ctx) = ctx;
        Py_INCREF(Py_None);
        SLOT(r, self->off_grad) = Py_None;
        Py_INCREF(res);
        SLOT(r, self->off_t) = res;
    }
    return r;
}

/* ---- x[key] for an int or plain slices: ops/getitem.py's `__getitem__` fast path --------
 * `t[i]` (a 0-d result as shape (1,)), and slices with step None narrowing at most one axis
 * of a contiguous tensor: a view, or a copy (narrow_copy) where the axes before the narrowed
 * one hold several rows, as MXNet returns a view only for a contiguous region. Anything
 * else, or anything that fails, returns NULL without an error: the Python path decides. */
static PyObject *str_dtype, *str_is_floating_point, *str_dim, *str_reshape, *str_shape, *str_is_contiguous, *str_numel, *str_narrow,
                *str_narrow_copy;

/* obj.name() or obj.name(a, b, c) through vectorcall (no argument tuple, no format). */
static PyObject *
call_method(PyObject *obj, PyObject *name, int nargs, Py_ssize_t a, Py_ssize_t b,
            Py_ssize_t c)
{
    PyObject *stack[4] = {obj, NULL, NULL, NULL}, *res;
    Py_ssize_t v[3] = {a, b, c};
    int i;

    for (i = 0; i < nargs; i++) {
        if ((stack[i + 1] = PyLong_FromSsize_t(v[i])) == NULL) {
            res = NULL;
            goto out;
        }
    }
    res = PyObject_VectorcallMethod(name, stack, (1 + nargs) | PY_VECTORCALL_ARGUMENTS_OFFSET,
                                    NULL);
out:
    for (i = 0; i < nargs; i++)
        Py_XDECREF(stack[i + 1]);
    return res;
}

static Py_ssize_t
long_result(PyObject *obj, PyObject *name)
{
    PyObject *v = call_method(obj, name, 0, 0, 0, 0);
    Py_ssize_t n;

    if (v == NULL)
        return -1;
    n = PyLong_Check(v) ? PyLong_AsSsize_t(v) : -1;
    Py_DECREF(v);
    return n;
}

static PyObject *
int_item(PyObject *t, PyObject *key)
{
    PyObject *res = PyObject_GetItem(t, key), *flat;
    Py_ssize_t dim;

    if (res == NULL)
        return NULL;
    dim = long_result(res, str_dim);
    if (dim != 0) {
        if (dim < 0)
            Py_CLEAR(res);
        return res;
    }
    flat = call_method(res, str_reshape, 1, 1, 0, 0);
    Py_DECREF(res);
    return flat;
}

static PyObject *
sliced(PyObject *t, PyObject *key)
{
    PyObject *shape, *contiguous, *res = NULL;
    Py_ssize_t nkeys, ndim, ax, lead = 1, narrow = -1, nstart = 0, nlength = 0;
    int single = PySlice_Check(key), ok;

    if (!single && !PyTuple_CheckExact(key))
        return NULL;
    nkeys = single ? 1 : PyTuple_GET_SIZE(key);
    shape = PyObject_GetAttr(t, str_shape);              /* torch.Size: a tuple */
    if (shape == NULL)
        return NULL;
    if (!PyTuple_Check(shape) || nkeys > (ndim = PyTuple_GET_SIZE(shape)))
        goto out;
    contiguous = call_method(t, str_is_contiguous, 0, 0, 0, 0);
    if (contiguous == NULL)
        goto out;
    ok = PyObject_IsTrue(contiguous);
    Py_DECREF(contiguous);
    if (ok != 1)
        goto out;
    for (ax = 0; ax < nkeys; ax++) {
        PyObject *k = single ? key : PyTuple_GET_ITEM(key, ax);
        PySliceObject *sl = (PySliceObject *)k;
        Py_ssize_t n, start, stop, step, length;

        if (!PySlice_Check(k) || sl->step != Py_None)
            goto out;
        n = PyLong_AsSsize_t(PyTuple_GET_ITEM(shape, ax));
        if (n < 0)
            goto out;
        if (sl->start == Py_None && sl->stop == Py_None) {
            if (narrow < 0)
                lead *= n;
            continue;
        }
        if (PySlice_Unpack(k, &start, &stop, &step) < 0)
            goto out;
        length = PySlice_AdjustIndices(n, &start, &stop, step);
        if (length != n) {                               /* this slice narrows the axis */
            if (narrow >= 0)
                goto out;
            narrow = ax;
            nstart = start;
            nlength = length;
        }
        else if (narrow < 0)
            lead *= n;
    }
    if (narrow < 0)
        goto out;
    if (lead == 1 || nlength == 0)
        res = call_method(t, str_narrow, 3, narrow, nstart, nlength);
    else {
        Py_ssize_t numel = long_result(t, str_numel);
        if (numel == 0)
            res = call_method(t, str_narrow, 3, narrow, nstart, nlength);
        else if (numel > 0)
            res = call_method(t, str_narrow_copy, 3, narrow, nstart, nlength);
    }
out:
    Py_DECREF(shape);
    return res;
}

static PyObject *
getitem_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    FastOp *self = (FastOp *)op;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    PyObject *t, *ctx, *key, *res, *r;

    switch (off_path(self, args, n, kwnames, 2, 2)) {
    case -1: return NULL;
    case 1: goto slow;
    }
    t = SLOT(args[0], self->off_t);
    ctx = SLOT(args[0], self->off_ctx);
    key = args[1];
    if (t == NULL || ctx == NULL)
        goto slow;
    Py_INCREF(t);
    Py_INCREF(ctx);
    res = PyLong_CheckExact(key) ? int_item(t, key) : sliced(t, key);
    Py_DECREF(t);
    if (res == NULL) {
        Py_DECREF(ctx);
        if (PyErr_Occurred()) {
            if (!PyErr_ExceptionMatches(PyExc_Exception))
                return NULL;
            PyErr_Clear();
        }
        goto slow;
    }
    if (Py_TYPE(res) != self->tensor_type) {
        Py_DECREF(res);
        Py_DECREF(ctx);
        goto slow;
    }
    r = box(self, res, ctx);
    Py_DECREF(res);
    Py_DECREF(ctx);
    return r;

slow:
    return PyObject_Vectorcall(self->slow, args, nargsf, kwnames);
}

/* The offset of a writable object slot `name` declared in `tp`'s own __slots__, or -1. */
static Py_ssize_t
slot_offset(PyTypeObject *tp, const char *name)
{
    PyObject *d = PyDict_GetItemString(tp->tp_dict, name);   /* borrowed */
    PyMemberDef *m;

    if (d == NULL || !Py_IS_TYPE(d, &PyMemberDescr_Type)) {
        PyErr_Format(PyExc_TypeError, "FastOp: %s.%s is not a __slots__ member",
                     tp->tp_name, name);
        return -1;
    }
    m = ((PyMemberDescrObject *)d)->d_member;
    if (m->type != T_OBJECT_EX || (m->flags & READONLY)) {
        PyErr_Format(PyExc_TypeError, "FastOp: %s.%s is not a writable object slot",
                     tp->tp_name, name);
        return -1;
    }
    return m->offset;
}

static PyObject *
fastop_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    static char *names[] = {"kernel", "kernel1", "slow", "box_result", "wrap_result",
                            "ndarray_type", "tensor_type", NULL};
    PyObject *kernel, *kernel1, *slow, *box_result, *wrap_result;
    PyTypeObject *nd_type, *tensor_type;
    Py_ssize_t off_t, off_ctx, off_grad;
    FastOp *self;

    if (!PyArg_ParseTupleAndKeywords(args, kwds, "OOOOOO!O!:FastOp", names, &kernel,
                                     &kernel1, &slow, &box_result, &wrap_result,
                                     &PyType_Type, &nd_type, &PyType_Type, &tensor_type))
        return NULL;
    if (!PyCallable_Check(kernel) || !PyCallable_Check(kernel1) || !PyCallable_Check(slow)
            || !PyCallable_Check(box_result) || !PyCallable_Check(wrap_result)) {
        PyErr_SetString(PyExc_TypeError, "FastOp: the first five arguments must be callable");
        return NULL;
    }
    if ((off_t = slot_offset(nd_type, "_t")) < 0
            || (off_ctx = slot_offset(nd_type, "_ctx")) < 0
            || (off_grad = slot_offset(nd_type, "_grad")) < 0)
        return NULL;

    self = (FastOp *)type->tp_alloc(type, 0);
    if (self == NULL)
        return NULL;
    self->vectorcall = fastop_vectorcall;
    Py_INCREF(kernel);
    self->kernel = kernel;
    Py_INCREF(kernel1);
    self->kernel1 = kernel1;
    Py_INCREF(slow);
    self->slow = slow;
    Py_INCREF(box_result);
    self->box_result = box_result;
    Py_INCREF(wrap_result);
    self->wrap_result = wrap_result;
    Py_INCREF(nd_type);
    self->nd_type = nd_type;
    Py_INCREF(tensor_type);
    self->tensor_type = tensor_type;
    self->off_t = off_t;
    self->off_ctx = off_ctx;
    self->off_grad = off_grad;
    return (PyObject *)self;
}

#define FASTOP_OBJECTS(X) X(kernel) X(kernel1) X(slow) X(box_result) X(wrap_result) \
                          X(nd_type) X(tensor_type) X(dict)
#define VISIT_FIELD(f) Py_VISIT(self->f);
#define CLEAR_FIELD(f) Py_CLEAR(self->f);

static int
fastop_traverse(FastOp *self, visitproc visit, void *arg)
{
    FASTOP_OBJECTS(VISIT_FIELD)
    return 0;
}

static int
fastop_clear(FastOp *self)
{
    FASTOP_OBJECTS(CLEAR_FIELD)
    return 0;
}

static void
fastop_dealloc(FastOp *self)
{
    PyObject_GC_UnTrack(self);
    fastop_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Like a function: through an instance, a bound method; through the class, itself. */
static PyObject *
fastop_descr_get(PyObject *self, PyObject *obj, PyObject *type)
{
    if (obj == NULL || obj == Py_None) {
        Py_INCREF(self);
        return self;
    }
    return PyMethod_New(self, obj);
}

static PyObject *
fastop_name(FastOp *self)
{
    PyObject *name = self->dict ? PyDict_GetItemString(self->dict, "__name__") : NULL;
    return name != NULL && PyUnicode_Check(name) ? name : NULL;   /* borrowed */
}

static PyObject *
fastop_repr(FastOp *self)
{
    PyObject *name = fastop_name(self);
    if (name == NULL)
        return PyUnicode_FromFormat("<regluon operator at %p>", self);
    return PyUnicode_FromFormat("<regluon operator %U>", name);
}

/* copy.copy/deepcopy give the operator itself, as for a function; pickle looks the name
 * up in __module__ (a string from __reduce__ means "a global"). */
static PyObject *
fastop_reduce(FastOp *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *name = self->dict ? PyDict_GetItemString(self->dict, "__qualname__") : NULL;
    if (name == NULL || !PyUnicode_Check(name))
        name = fastop_name(self);
    if (name == NULL) {
        PyErr_SetString(PyExc_TypeError, "FastOp: cannot pickle an operator without a name");
        return NULL;
    }
    Py_INCREF(name);
    return name;
}

static PyMethodDef fastop_methods[] = {
    {"__reduce__", (PyCFunction)fastop_reduce, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMemberDef fastop_members[] = {
    {"_slow", T_OBJECT, offsetof(FastOp, slow), READONLY,
     "the Python wrapper that every call off the fast path goes to"},
    {NULL, 0, 0, 0, NULL}
};

static PyGetSetDef fastop_getset[] = {
    {"__dict__", PyObject_GenericGetDict, PyObject_GenericSetDict, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyTypeObject FastOp_Type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "regluon.ndarray._fastop.FastOp",
    .tp_doc = "An operator: register.py's wrapper with its common case in C.",
    .tp_basicsize = sizeof(FastOp),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC | Py_TPFLAGS_HAVE_VECTORCALL
                | Py_TPFLAGS_METHOD_DESCRIPTOR,
    .tp_new = fastop_new,
    .tp_dealloc = (destructor)fastop_dealloc,
    .tp_traverse = (traverseproc)fastop_traverse,
    .tp_clear = (inquiry)fastop_clear,
    .tp_vectorcall_offset = offsetof(FastOp, vectorcall),
    .tp_call = PyVectorcall_Call,
    .tp_descr_get = fastop_descr_get,
    .tp_repr = (reprfunc)fastop_repr,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_setattro = PyObject_GenericSetAttr,
    .tp_dictoffset = offsetof(FastOp, dict),
    .tp_methods = fastop_methods,
    .tp_members = fastop_members,
    .tp_getset = fastop_getset,
};

/* ---- x += y: ndarray.py's in-place operators, common case ---------------------------------
 * `kernel(t, o)` (torch's in-place method) when y is a same-dtype NDArray or an int (or a
 * float into a floating-point array) and no tensor requires grad, so there is nothing to
 * record whatever torch's grad mode; returns x itself. Everything else, and any failure
 * (the kernel raises before it writes), goes to `slow`, the Python method. */
static int
requires_grad(PyObject *t)
{
    PyObject *rg = PyObject_GetAttr(t, str_requires_grad);
    int r;

    if (rg == NULL)
        return -1;
    r = PyObject_IsTrue(rg);
    Py_DECREF(rg);
    return r;
}

static PyObject *
inplace_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    FastOp *self = (FastOp *)op;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    PyObject *x, *t, *b, *o, *res;
    PyTypeObject *bt;
    int ok;

    switch (off_path(self, args, n, kwnames, 2, 2)) {
    case -1: return NULL;
    case 1: goto slow;
    }
    x = args[0];
    b = args[1];
    bt = Py_TYPE(b);
    if ((t = SLOT(x, self->off_t)) == NULL || Py_TYPE(t) != self->tensor_type)
        goto slow;
    if (bt == self->nd_type) {
        PyObject *dt, *dto;
        if ((o = SLOT(b, self->off_t)) == NULL || Py_TYPE(o) != self->tensor_type)
            goto slow;
        dt = PyObject_GetAttr(t, str_dtype);
        dto = dt == NULL ? NULL : PyObject_GetAttr(o, str_dtype);
        ok = dto != NULL && dt == dto;
        Py_XDECREF(dt);
        Py_XDECREF(dto);
        if (!ok || requires_grad(o) != 0)
            goto fail;
    }
    else if (bt == &PyLong_Type)
        o = b;
    else if (bt == &PyFloat_Type) {
        PyObject *fp = PyObject_VectorcallMethod(str_is_floating_point, &t,
                                                 1 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        ok = fp == Py_True;
        Py_XDECREF(fp);
        if (!ok)
            goto fail;
        o = b;
    }
    else
        goto slow;
    if (requires_grad(t) != 0)
        goto fail;
    {
        PyObject *kargs[3] = {NULL, t, o};
        Py_INCREF(t);
        Py_INCREF(o);
        res = PyObject_Vectorcall(self->kernel, kargs + 1,
                                  2 | PY_VECTORCALL_ARGUMENTS_OFFSET, NULL);
        Py_DECREF(t);
        Py_DECREF(o);
    }
    if (res == NULL)
        goto fail;
    Py_DECREF(res);
    Py_INCREF(x);
    return x;

fail:
    if (PyErr_Occurred()) {
        if (!PyErr_ExceptionMatches(PyExc_Exception))
            return NULL;
        PyErr_Clear();
    }
slow:
    return PyObject_Vectorcall(self->slow, args, nargsf, kwnames);
}

/* A FastOp built from the 7-tuple `full` (fastop_new's arguments) that calls `vc`. */
static PyObject *
variant(PyObject *full, vectorcallfunc vc)
{
    PyObject *op;

    if (full == NULL)
        return NULL;
    op = fastop_new(&FastOp_Type, full, NULL);
    Py_DECREF(full);
    if (op != NULL)
        ((FastOp *)op)->vectorcall = vc;
    return op;
}

/* inplace(kernel, slow, ndarray_type, tensor_type): an in-place operator (see above). */
static PyObject *
make_inplace(PyObject *module, PyObject *args)
{
    PyObject *kernel, *slow, *nd_type, *tensor_type;

    if (!PyArg_ParseTuple(args, "OOOO:inplace", &kernel, &slow, &nd_type, &tensor_type))
        return NULL;
    return variant(Py_BuildValue("(OOOOOOO)", kernel, kernel, slow, slow, slow, nd_type,
                                 tensor_type), inplace_vectorcall);
}

/* getitem(slow, box_result, wrap_result, ndarray_type, tensor_type): NDArray.__getitem__
 * with the int and plain-slice keys in C (getitem_vectorcall), `slow` for the rest. */
static PyObject *
make_getitem(PyObject *module, PyObject *args)
{
    PyObject *slow, *box_result, *wrap_result, *nd_type, *tensor_type;

    if (!PyArg_ParseTuple(args, "OOOOO:getitem", &slow, &box_result, &wrap_result,
                          &nd_type, &tensor_type))
        return NULL;
    return variant(Py_BuildValue("(OOOOOOO)", slow, slow, slow, box_result, wrap_result,
                                 nd_type, tensor_type), getitem_vectorcall);
}

static PyMethodDef module_methods[] = {
    {"inplace", make_inplace, METH_VARARGS,
     "inplace(kernel, slow, ndarray_type, tensor_type): x op= y with the common case "
     "(same dtype or a plain scalar, nothing requires grad) in C, the rest through slow."},
    {"getitem", make_getitem, METH_VARARGS,
     "getitem(slow, box_result, wrap_result, ndarray_type, tensor_type): x[key] with int "
     "and plain-slice keys in C, every other key through slow(x, key)."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef fastop_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "regluon.ndarray._fastop",
    .m_doc = "The C hot path of regluon's operator wrapper (see register.py).",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__fastop(void)
{
    PyObject *m;

    str_requires_grad = PyUnicode_InternFromString("requires_grad");
    str_dtype = PyUnicode_InternFromString("dtype");
    str_is_floating_point = PyUnicode_InternFromString("is_floating_point");
    str_dim = PyUnicode_InternFromString("dim");
    str_reshape = PyUnicode_InternFromString("reshape");
    str_shape = PyUnicode_InternFromString("shape");
    str_is_contiguous = PyUnicode_InternFromString("is_contiguous");
    str_numel = PyUnicode_InternFromString("numel");
    str_narrow = PyUnicode_InternFromString("narrow");
    str_narrow_copy = PyUnicode_InternFromString("narrow_copy");
    if (str_requires_grad == NULL || str_dtype == NULL || str_is_floating_point == NULL
            || str_dim == NULL || str_reshape == NULL
            || str_shape == NULL || str_is_contiguous == NULL || str_numel == NULL
            || str_narrow == NULL || str_narrow_copy == NULL
            || PyType_Ready(&FastOp_Type) < 0)
        return NULL;
    m = PyModule_Create(&fastop_module);
    if (m == NULL)
        return NULL;
    Py_INCREF(&FastOp_Type);
    if (PyModule_AddObject(m, "FastOp", (PyObject *)&FastOp_Type) < 0) {
        Py_DECREF(&FastOp_Type);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
