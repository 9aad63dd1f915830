# mpipe.mk - the mPIPE packet engine and the Ethernet ports: classifier,
# buffer stacks, notification rings, iDMA/eDMA, line-rate wires, pcap in/out.
LIB_C_SRCS   += models/mpipe/mpipe_classify.c
LIB_CXX_SRCS += models/mpipe/mpipe_model.cpp models/mpipe/mpipe_report.cpp models/mpipe/pcap_io.cpp
