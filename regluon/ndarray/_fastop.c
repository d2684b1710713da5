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

static PyObject *
fastop_vectorcall(PyObject *op, PyObject *const *args, size_t nargsf, PyObject *kwnames)
{
    FastOp *self = (FastOp *)op;
    Py_ssize_t n = PyVectorcall_NARGS(nargsf);
    PyObject *x, *t, *ctx, *other = NULL, *res, *rg, *r;
    int grad;

    if (self->slow == NULL) {             /* cleared by the garbage collector */
        PyErr_SetString(PyExc_RuntimeError, "FastOp: called after it was cleared");
        return NULL;
    }
    if ((kwnames != NULL && PyTuple_GET_SIZE(kwnames) != 0) || n < 1 || n > 2
            || Py_TYPE(args[0]) != self->nd_type)
        goto slow;
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
    rg = PyObject_GetAttr(res, str_requires_grad);
    if (rg == NULL) {
        r = NULL;
        goto done;
    }
    grad = PyObject_IsTrue(rg);
    Py_DECREF(rg);
    if (grad < 0) {
        r = NULL;
        goto done;
    }
    if (grad) {                                      /* noted if recorded, else detached */
        r = PyObject_CallFunctionObjArgs(self->box_result, res, ctx, NULL);
        goto done;
    }
    r = self->nd_type->tp_alloc(self->nd_type, 0);
    if (r != NULL) {
        Py_INCREF(ctx);
        SLOT(r, self->off_ctx) = ctx;
        Py_INCREF(Py_None);
        SLOT(r, self->off_grad) = Py_None;
        Py_INCREF(res);
        SLOT(r, self->off_t) = res;
    }
done:
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

static int
fastop_traverse(FastOp *self, visitproc visit, void *arg)
{
    Py_VISIT(self->kernel);
    Py_VISIT(self->kernel1);
    Py_VISIT(self->slow);
    Py_VISIT(self->box_result);
    Py_VISIT(self->wrap_result);
    Py_VISIT(self->nd_type);
    Py_VISIT(self->tensor_type);
    Py_VISIT(self->dict);
    return 0;
}

static int
fastop_clear(FastOp *self)
{
    Py_CLEAR(self->kernel);
    Py_CLEAR(self->kernel1);
    Py_CLEAR(self->slow);
    Py_CLEAR(self->box_result);
    Py_CLEAR(self->wrap_result);
    Py_CLEAR(self->nd_type);
    Py_CLEAR(self->tensor_type);
    Py_CLEAR(self->dict);
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

static struct PyModuleDef fastop_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "regluon.ndarray._fastop",
    .m_doc = "The C hot path of regluon's operator wrapper (see register.py).",
    .m_size = -1,
};

PyMODINIT_FUNC
PyInit__fastop(void)
{
    PyObject *m;

    str_requires_grad = PyUnicode_InternFromString("requires_grad");
    if (str_requires_grad == NULL || PyType_Ready(&FastOp_Type) < 0)
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
